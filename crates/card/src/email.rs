//! Email address validation, the same in the widget and (later) on the server: strict
//! enough to catch typos before a request is sent, loose enough to accept every address a
//! mail server would (no attempt at the whole of RFC 5322).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Missing,
    Invalid,
}

/// Checks a typed address and returns it trimmed.
pub fn validate(input: &str) -> Result<&str, EmailProblem> {
    let email = input.trim();
    if email.is_empty() {
        return Err(EmailProblem::Missing);
    }
    let (local, domain) = email.rsplit_once('@').ok_or(EmailProblem::Invalid)?;
    let local_ok = (1..=64).contains(&local.len())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            international(c) || c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = (3..=253).contains(&domain.len())
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| international(c) || c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| {
            tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())
        });
    if local_ok && domain_ok && email.len() <= 254 {
        Ok(email)
    } else {
        Err(EmailProblem::Invalid)
    }
}

/// Outside ASCII, any character but spaces and controls: internationalised addresses
/// (RFC 6531) and domains hold letters with combining marks (`शर्मा`), which are not
/// "alphanumeric" but are as valid as any letter.
fn international(c: char) -> bool {
    !c.is_ascii()
        && !c.is_whitespace()
        && !c.is_control()
        // Invisible formatting (zero-width space, direction marks and overrides, BOM): never
        // typed on purpose. The joiners U+200C/U+200D stay: Indic scripts need them.
        && !matches!(c, '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_addresses() {
        for good in [
            "reader@example.org",
            "  reader@example.org ",
            "first.last+news@sub.example.co.uk",
            "o'brien@example.ie",
            "user@xn--bcher-kva.example",
            "דוד@example.co.il",
            "शर्मा@example.in",
            "user@मेल.भारत",
        ] {
            assert_eq!(validate(good), Ok(good.trim()), "{good}");
        }
    }

    #[test]
    fn rejects_typos_and_junk() {
        assert_eq!(validate("   "), Err(EmailProblem::Missing));
        for bad in [
            "reader",
            "reader@",
            "@example.org",
            "reader@example",
            "reader@@example.org",
            "reader@example..org",
            "reader@-example.org",
            "re ader@example.org",
            ".reader@example.org",
            "reader.@example.org",
            "reader@example.c",
            "reader@127.0.0.1",
            "<script>@example.org",
            "reader@exa mple.org",
            "reader\u{a0}@example.org",
            "read\u{200b}er@example.org",
            "reader@exam\u{202e}ple.org",
        ] {
            assert_eq!(validate(bad), Err(EmailProblem::Invalid), "{bad}");
        }
        let long = format!("{}@example.org", "a".repeat(65));
        assert_eq!(validate(&long), Err(EmailProblem::Invalid));
    }
}
