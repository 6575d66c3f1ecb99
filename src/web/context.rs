//! Who is asking, and what every page's layout shows about them.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::assets::Assets;
use super::csrf;
use super::state::AppState;
use crate::domain::Role;
use crate::error::AppError;
use crate::policy::{self, Action};
use crate::sessions::keys;
use crate::spaces::models::Space;
use crate::spaces::service::SpaceChoice;
use crate::users::models::User;

/// The header and menus of every page.
pub struct Layout {
    pub assets: &'static Assets,
    pub csrf_token: String,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    pub space: Option<SpaceBadge>,
    /// Other spaces the person can switch to (empty when there are none).
    pub switch_to: Vec<SpaceChoice>,
    /// Which settings pages the person may open in the current space.
    pub menu: SettingsMenu,
}

/// The settings pages linked from the account menu and the settings tabs.
#[derive(Default, Clone, Copy)]
pub struct SettingsMenu {
    pub members: bool,
    pub subscription: bool,
    pub audit_log: bool,
}

impl SettingsMenu {
    pub fn for_role(space: &Space, role: Role) -> SettingsMenu {
        SettingsMenu {
            members: policy::can(space, role, Action::ManageMembers),
            subscription: policy::can(space, role, Action::ManageSubscription),
            audit_log: policy::can(space, role, Action::ViewAuditLog),
        }
    }
}

/// The current space as the header shows it.
pub struct SpaceBadge {
    pub name: String,
    pub image_url: Option<String>,
    pub initial: String,
}

impl SpaceBadge {
    pub fn of(space: &Space) -> SpaceBadge {
        SpaceBadge {
            name: space.name.clone(),
            image_url: space.image_url(),
            initial: space
                .name
                .chars()
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default(),
        }
    }
}

impl Layout {
    /// For error pages: no session is read, no menu is shown.
    pub fn bare() -> Layout {
        Layout {
            assets: Assets::get(),
            csrf_token: String::new(),
            user_name: None,
            user_email: None,
            space: None,
            switch_to: Vec::new(),
            menu: SettingsMenu::default(),
        }
    }

    /// For pages seen before signing in.
    pub fn anonymous(session: &Session) -> Result<Layout, AppError> {
        Ok(Layout {
            assets: Assets::get(),
            csrf_token: csrf::token(session)?,
            user_name: None,
            user_email: None,
            space: None,
            switch_to: Vec::new(),
            menu: SettingsMenu::default(),
        })
    }
}

/// A signed-in person, the space they are working in and their role there.
/// Extracting it from a request that has no live session redirects to sign-in.
pub struct SignedIn {
    pub user: User,
    pub space: Space,
    pub role: Role,
    pub session: Session,
    /// Every space the person can work in, the current one included.
    pub spaces: Vec<SpaceChoice>,
}

impl SignedIn {
    pub fn layout(&self) -> Result<Layout, AppError> {
        Ok(Layout {
            assets: Assets::get(),
            csrf_token: csrf::token(&self.session)?,
            user_name: Some(self.user.name.clone()),
            user_email: Some(self.user.email.clone()),
            space: Some(SpaceBadge::of(&self.space)),
            switch_to: self
                .spaces
                .iter()
                .filter(|s| s.id != self.space.id)
                .cloned()
                .collect(),
            menu: SettingsMenu::for_role(&self.space, self.role),
        })
    }
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<SignedIn, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state =
                state.ok_or_else(|| AppError::unexpected(anyhow::anyhow!("no AppState")))?;
            let user_id = session
                .get::<String>(keys::USER_ID)
                .map_err(AppError::unexpected)?
                .ok_or(AppError::SignInRequired)?;
            let chosen = session
                .get::<String>(keys::SPACE_ID)
                .map_err(AppError::unexpected)?;
            let found = state
                .db(move |conn| {
                    let Some(user) = crate::users::queries::find(conn, &user_id)? else {
                        return Ok(None);
                    };
                    let current =
                        crate::spaces::service::current_space(conn, &user.id, chosen.as_deref())?;
                    let spaces = crate::spaces::service::accessible_spaces(conn, &user.id)?;
                    Ok(Some((user, current.map(|c| (c, spaces)))))
                })
                .await?;
            match found {
                None => {
                    session.purge();
                    Err(AppError::SignInRequired)
                }
                Some((_, None)) => Err(AppError::Forbidden(
                    "work here: you are no longer a member of any space",
                )),
                Some((user, Some(((space, role), spaces)))) => {
                    if session
                        .get::<String>(keys::SPACE_ID)
                        .ok()
                        .flatten()
                        .as_deref()
                        != Some(&space.id)
                    {
                        session
                            .insert(keys::SPACE_ID, &space.id)
                            .map_err(AppError::unexpected)?;
                    }
                    Ok(SignedIn {
                        user,
                        space,
                        role,
                        session,
                        spaces,
                    })
                }
            }
        })
    }
}

/// Signs a person in on this browser: a new session id (an id planted before
/// sign-in is worthless after it), their id, the space to open, and a new
/// CSRF token.
pub fn start_session(
    session: &Session,
    user_id: &str,
    space_id: Option<&str>,
) -> Result<(), AppError> {
    session.renew();
    session
        .insert(keys::USER_ID, user_id)
        .map_err(AppError::unexpected)?;
    match space_id {
        Some(space_id) => session
            .insert(keys::SPACE_ID, space_id)
            .map_err(AppError::unexpected)?,
        None => {
            session.remove(keys::SPACE_ID);
        }
    }
    csrf::rotate(session)?;
    Ok(())
}
