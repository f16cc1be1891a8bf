//! The server's log: one line per event on standard error, in logfmt (`level=info
//! event=mail.sent kind=confirmation to=r…@example.org`), which log collectors parse as it
//! is. Callers pass masked addresses and never a token, a password or a link with a token.
//!
//! Not `tracing`: its output needs `tracing-subscriber`, whose formatter writes its own
//! layout (a timestamp, the module path, fields quoted as `Debug` does) rather than the
//! plain logfmt collectors read, and the server has no spans to follow; a line of logfmt
//! is the forty lines below.

use std::fmt::{Display, Write as _};

pub fn info(event: &str, fields: &[(&str, &dyn Display)]) {
    eprintln!("{}", line("info", event, fields));
}

pub fn warn(event: &str, fields: &[(&str, &dyn Display)]) {
    eprintln!("{}", line("warn", event, fields));
}

fn line(level: &str, event: &str, fields: &[(&str, &dyn Display)]) -> String {
    let mut out = format!("level={level} event={event}");
    for (key, value) in fields {
        let value = value.to_string();
        let _ = write!(out, " {key}=");
        if !value.is_empty() && !value.contains(|c: char| c.is_whitespace() || c == '"' || c == '=')
        {
            out.push_str(&value);
        } else {
            out.push('"');
            for c in value.chars() {
                match c {
                    '"' | '\\' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\n' => out.push_str("\\n"),
                    c if c.is_control() => {}
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logfmt_lines() {
        assert_eq!(
            line(
                "info",
                "mail.sent",
                &[("to", &"r…@example.org"), ("attempt", &2)]
            ),
            "level=info event=mail.sent to=r…@example.org attempt=2"
        );
        assert_eq!(
            line(
                "warn",
                "x",
                &[("error", &"said \"no\"\nthen = left"), ("empty", &"")]
            ),
            r#"level=warn event=x error="said \"no\"\nthen = left" empty="""#
        );
    }
}
