//! Flask-Login 0.6.3 (FORMATS.md section 4).

use super::app::{Ctx, Response};

/// A user as Flask-Login sees one (`UserMixin`): `get_id()` is `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub is_authenticated: bool,
    pub is_active: bool,
    pub is_anonymous: bool,
}

/// `LoginManager`, attached to an app by `init_app`.
#[derive(Default)]
pub struct LoginManager {}

impl std::fmt::Debug for LoginManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginManager").finish_non_exhaustive()
    }
}

impl LoginManager {
    /// The `after_request` hook `init_app` registers (`_update_remember_cookie`).
    pub fn update_remember_cookie(&self, _ctx: &mut Ctx, _response: &mut Response) {}
}
