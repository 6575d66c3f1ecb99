//! Outgoing mail: SMTP when `SUBSPACE_SMTP_URL` is set, otherwise one `.eml`
//! file per message in `<data dir>/outbox`. Sending blocks: call it on the
//! blocking pool, after the transaction that decided to send has committed.

use std::path::PathBuf;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{FileTransport, Message, SmtpTransport, Transport};

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: SmtpTransport,
        from: Mailbox,
    },
    Outbox {
        folder: PathBuf,
        from: Mailbox,
    },
}

/// One message to one person, in plain text.
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, data_dir: &std::path::Path) -> anyhow::Result<Mailer> {
        let from: Mailbox = "Subspace <no-reply@subspace.localhost>".parse()?;
        match smtp_url {
            Some(url) => Ok(Mailer::Smtp {
                transport: SmtpTransport::from_url(url)?.build(),
                from,
            }),
            None => {
                let folder = data_dir.join("outbox");
                std::fs::create_dir_all(&folder)?;
                Ok(Mailer::Outbox { folder, from })
            }
        }
    }

    pub fn send(&self, email: &Email) -> anyhow::Result<()> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(email.to.parse()?)
            .subject(&email.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(&message)?;
            }
            Mailer::Outbox { folder, .. } => {
                FileTransport::new(folder).send(&message)?;
            }
        }
        Ok(())
    }
}

/// The link in an invitation email.
pub fn invitation_link(public_url: &str, token: &str) -> String {
    format!("{public_url}/invitations/{token}")
}

/// The invitation email for one invited person.
pub fn invitation(to: &str, inviter: &str, space: &str, role: &str, link: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("{inviter} invited you to {space} on Subspace"),
        body: format!(
            "Hello,\n\n{inviter} invited you to join {space} on Subspace as {role}.\n\n\
             Accept the invitation:\n{link}\n\n\
             The link works once and expires in 7 days. If you did not expect this \
             invitation, you can ignore this email.\n"
        ),
    }
}
