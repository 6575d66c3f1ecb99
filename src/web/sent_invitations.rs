//! Invitations just issued: emailed after their transaction committed, and
//! shown once to the inviting admin as links to copy.

use crate::mail;
use crate::members::service::IssuedInvitation;
use crate::telemetry::spawn_blocking_with_span;
use crate::web::state::AppState;

/// An invitation link to show the inviting admin once, and whether its email went out.
pub struct SentInvitation {
    pub email: String,
    pub link: String,
    pub emailed: bool,
}

/// Emails the invitations; a failed email is reported, the link still works.
pub async fn deliver(
    state: &AppState,
    inviter: &str,
    issued: Vec<IssuedInvitation>,
) -> Vec<SentInvitation> {
    let mut sent = Vec::with_capacity(issued.len());
    for invitation in issued {
        let link = mail::invitation_link(&state.public_url, &invitation.token);
        let email = mail::invitation(
            &invitation.email,
            inviter,
            &invitation.space_name,
            invitation.role.label(),
            &link,
        );
        let mailer = state.mailer.clone();
        let emailed = match spawn_blocking_with_span(move || mailer.send(&email)).await {
            Ok(Ok(())) => true,
            Ok(Err(error)) => {
                tracing::warn!(%error, "an invitation email could not be sent");
                false
            }
            Err(error) => {
                tracing::warn!(%error, "the mail task failed");
                false
            }
        };
        sent.push(SentInvitation {
            email: invitation.email,
            link,
            emailed,
        });
    }
    sent
}
