//! The signup protocol's server side (SPEC 5 and 6.1): `POST /api/subscribe`, double opt-in,
//! the newsletters it may mail about, the frames it accepts signups from, and the job that
//! deletes what is not kept.

pub mod cleanup;
pub mod confirm;
pub mod frames;
pub mod newsletters;
pub mod proof;
pub mod stats;
pub mod subscribe;

#[cfg(test)]
mod tests;
