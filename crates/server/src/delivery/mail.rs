//! Mail for double opt-in: the confirmation link, and the note to a reader who is already
//! subscribed. Through SMTP when `--smtp URL` is given, else written as an `.eml` file to
//! the mail folder in the data directory, which is never served. Mail is queued with the
//! signup and sent by the delivery job (`deliver.rs`), which retries a failed send: an SMTP
//! outage delays mail and loses none.

use std::path::PathBuf;

use crate::words::Words;

use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Why a mail was not sent; `permanent` when trying again cannot help (a 5xx from the SMTP
/// server, an address it cannot take), so that the queue drops it instead of keeping the
/// address for ever.
#[derive(Debug, Clone, PartialEq)]
pub struct MailError {
    pub message: String,
    pub permanent: bool,
}

impl std::fmt::Display for MailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for MailError {
    fn from(message: String) -> MailError {
        MailError {
            message,
            permanent: false,
        }
    }
}

pub struct Mailer {
    from: Mailbox,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    drop_dir: PathBuf,
}

/// `reader@example.org` → `r…@example.org`: enough to tell log lines apart, not enough to
/// recover the address.
pub fn mask(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}…@{domain}")
        }
        None => "…".into(),
    }
}

/// Masks every email address in a message (`<alice@example.org>` → `<a…@example.org>`).
pub fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str(&mask(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in message.chars() {
        if c.is_whitespace() || "<>\"'(),;:[]".contains(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

impl Mailer {
    pub fn new(from: &str, smtp_url: Option<&str>, drop_dir: PathBuf) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("--mail-from {from:?}: {e}"))?;
        let smtp = smtp_url
            .map(|url| {
                // The URL holds the SMTP password: the error must not repeat it.
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map(|b| b.build())
                    .map_err(|e| format!("--smtp: not a usable SMTP URL ({e})"))
            })
            .transpose()?;
        Ok(Mailer {
            from,
            smtp,
            drop_dir,
        })
    }

    /// Deletes the mail written to the mail folder for this address (erasure).
    pub async fn forget(&self, email: &str) -> usize {
        let Ok(mut entries) = tokio::fs::read_dir(&self.drop_dir).await else {
            return 0;
        };
        let mut deleted = 0;
        while let Ok(Some(entry)) = entries.next_entry().await {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("eml") {
                continue;
            }
            let Ok(text) = tokio::fs::read_to_string(&path).await else {
                continue;
            };
            let addressed = text.lines().take_while(|l| !l.is_empty()).any(|line| {
                line.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:"))
                    && line.to_lowercase().contains(&email.to_lowercase())
            });
            if addressed && tokio::fs::remove_file(&path).await.is_ok() {
                deleted += 1;
            }
        }
        deleted
    }

    pub fn describe(&self) -> String {
        match &self.smtp {
            Some(_) => "SMTP".into(),
            None => format!("the folder {}", self.drop_dir.display()),
        }
    }

    /// Sends the confirmation link for one or several newsletters (each on a line of its
    /// own in the body), in the signup's language; says where it went.
    pub async fn send_confirmation(
        &self,
        w: &Words,
        to: &str,
        newsletters: &[String],
        link: &str,
    ) -> Result<String, MailError> {
        self.send(
            to,
            w.fill(w.confirm_subject, &w.names(newsletters)),
            w.body(w.confirm_body, &newsletters.join("\n    "), link),
        )
        .await
    }

    /// Tells a confirmed reader who signed up again that nothing changed (the page they
    /// signed up on said "check your inbox", as it says to everyone).
    pub async fn send_already_subscribed(
        &self,
        w: &Words,
        to: &str,
        newsletter: &str,
    ) -> Result<String, MailError> {
        self.send(
            to,
            w.fill(w.already_subject, newsletter),
            w.body(w.already_body, newsletter, ""),
        )
        .await
    }

    async fn send(&self, to: &str, subject: String, body: String) -> Result<String, MailError> {
        let to: Mailbox = to.parse().map_err(|e| MailError {
            message: format!("recipient {}: {e}", mask(to)),
            permanent: true,
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError {
                message: format!("cannot build the message: {e}"),
                permanent: true,
            })?;
        if let Some(smtp) = &self.smtp {
            // A failure goes back to the queue, which tries again later. An SMTP server's
            // reply may quote the recipient: masked.
            return smtp
                .send(message)
                .await
                .map(|_| "sent by SMTP".to_owned())
                .map_err(|e| MailError {
                    message: format!("SMTP failed: {}", redact(&e.to_string())),
                    permanent: e.is_permanent(),
                });
        }
        crate::private::dir(&self.drop_dir)
            .map_err(|e| format!("cannot create {}: {e}", self.drop_dir.display()))?;
        let id = AsyncFileTransport::<Tokio1Executor>::new(&self.drop_dir)
            .send(message)
            .await
            .map_err(|e| format!("cannot write to {}: {e}", self.drop_dir.display()))?;
        let file = self.drop_dir.join(format!("{id}.eml"));
        crate::private::file(&file)
            .map_err(|e| format!("cannot make {} owner-only: {e}", file.display()))?;
        Ok(format!(
            "written to {}",
            self.drop_dir.join(format!("{id}.eml")).display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_addresses_in_messages() {
        assert_eq!(
            redact("permanent error (550): 5.1.1 <alice@example.org>: Recipient address rejected"),
            "permanent error (550): 5.1.1 <a…@example.org>: Recipient address rejected"
        );
        assert_eq!(redact("no address here"), "no address here");
    }

    #[test]
    fn masks_addresses() {
        assert_eq!(mask("reader@example.org"), "r…@example.org");
        assert_eq!(mask("@example.org"), "…@example.org");
        assert_eq!(mask("nonsense"), "…");
    }

    #[test]
    fn a_bad_smtp_url_is_refused_without_repeating_it() {
        let Err(message) = Mailer::new(
            "Newsletter <n@example.org>",
            Some("smtp://user:hunter2@"),
            PathBuf::from("unused"),
        ) else {
            panic!("an SMTP URL without a host is refused");
        };
        assert!(!message.contains("hunter2"), "{message}");
    }
}
