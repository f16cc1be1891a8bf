//! Sliding-window rate limits, kept in memory (one process; behind several processes each
//! counts its own). Generous enough that one shared office address can sign up many
//! readers a minute, tight enough that a script cannot flood the list.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys tracked before the idle ones are swept.
const SWEEP_AT: usize = 10_000;

pub struct Window {
    limit: usize,
    period: Duration,
    hits: Mutex<Hits>,
}

struct Hits {
    by_key: HashMap<String, VecDeque<Instant>>,
    /// The size at which idle keys are swept next: doubled after a sweep that leaves many
    /// live keys, so that sweeping stays rare however many keys there are.
    sweep_at: usize,
}

impl Window {
    pub fn new(limit: u32, period: Duration) -> Window {
        Window {
            limit: usize::try_from(limit).unwrap_or(usize::MAX).max(1),
            period,
            hits: Mutex::new(Hits {
                by_key: HashMap::new(),
                sweep_at: SWEEP_AT,
            }),
        }
    }

    /// Counts a hit for `key`; `Err(seconds)` when over the limit, with how long until the
    /// next hit would be allowed (for `Retry-After`). A refused hit is not counted.
    pub fn hit(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut hits = self
            .hits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if hits.by_key.len() >= hits.sweep_at {
            let period = self.period;
            hits.by_key
                .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < period));
            hits.sweep_at = (hits.by_key.len() * 2).max(SWEEP_AT);
        }
        let queue = hits.by_key.entry(key.to_owned()).or_default();
        while queue
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.period)
        {
            queue.pop_front();
        }
        if queue.len() >= self.limit {
            let oldest = queue.front().copied().unwrap_or(now);
            let wait = self.period.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        queue.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_with_the_wait() {
        let w = Window::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(w.hit("ip", t0 + Duration::from_secs(i)), Ok(()));
        }
        assert_eq!(w.hit("ip", t0 + Duration::from_secs(10)), Err(50));
        assert_eq!(
            w.hit("other", t0 + Duration::from_secs(10)),
            Ok(()),
            "per key"
        );
        // The first hit leaves the window after 60 s.
        assert_eq!(w.hit("ip", t0 + Duration::from_secs(60)), Ok(()));
        assert!(w.hit("ip", t0 + Duration::from_secs(60)).is_err());
    }
}
