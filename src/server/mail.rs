//! Confirmation mail for double opt-in: through SMTP when `--smtp URL` is given, else (and
//! whenever SMTP fails) written as an .eml file to the mail-drop folder with the link in
//! the log. A confirmation is never silently lost.

use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub struct Mailer {
    from: Mailbox,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    drop_dir: PathBuf,
}

impl Mailer {
    pub fn new(from: &str, smtp_url: Option<&str>, drop_dir: PathBuf) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("--mail-from {from:?}: {e}"))?;
        let smtp = smtp_url
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map(|b| b.build())
                    .map_err(|e| format!("--smtp {url:?}: {e}"))
            })
            .transpose()?;
        Ok(Mailer {
            from,
            smtp,
            drop_dir,
        })
    }

    pub fn describe(&self) -> String {
        match &self.smtp {
            Some(_) => "SMTP".into(),
            None => format!("the mail-drop folder {}", self.drop_dir.display()),
        }
    }

    /// Sends the confirmation link; says where it went.
    pub async fn send_confirmation(
        &self,
        to: &str,
        newsletter: &str,
        link: &str,
    ) -> Result<String, String> {
        let to: Mailbox = to.parse().map_err(|e| format!("recipient {to:?}: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("Confirm your subscription to {newsletter}"))
            .header(ContentType::TEXT_PLAIN)
            .body(format!(
                "Please confirm that you want to receive {newsletter}:\n\n{link}\n\n\
                 If you did not ask for it, ignore this message: nothing will be sent.\n"
            ))
            .map_err(|e| format!("cannot build the message: {e}"))?;
        if let Some(smtp) = &self.smtp {
            match smtp.send(message.clone()).await {
                Ok(_) => return Ok("sent by SMTP".into()),
                Err(e) => eprintln!(
                    "article-embed: SMTP failed ({e}); keeping the message in the mail drop"
                ),
            }
        }
        tokio::fs::create_dir_all(&self.drop_dir)
            .await
            .map_err(|e| format!("cannot create {}: {e}", self.drop_dir.display()))?;
        let id = AsyncFileTransport::<Tokio1Executor>::new(&self.drop_dir)
            .send(message)
            .await
            .map_err(|e| format!("cannot write to {}: {e}", self.drop_dir.display()))?;
        Ok(format!("written to {}/{id}.eml", self.drop_dir.display()))
    }
}
