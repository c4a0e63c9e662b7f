//! (ssr) Pages rendered once per change for every reader of one role: the dashboard, the
//! integrations list and an integration's page. What differs between two readers of one role
//! on them is the name and unread count in the navigation, and the saved views of the two
//! pages that offer them; `server::page_cache` renders a page for a stand-in reader
//! (`auth::session::StandIn`) and puts each reader's own name and count in, and keeps a page
//! of its own for a reader who has saved views there. Pages are kept (see [`crate::kept`])
//! while the minute and the trail's head are those they were rendered at; an integration's
//! page, while that integration's version is (`changes::Changes::version`), so a change to
//! another integration leaves it kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::auth::model::Role;
use crate::changes::Changes;
use crate::error::Result;
use crate::kept::{Shelf, Stamp, Stamped, Weigh, stamp_at};

/// A page the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptPage<'a> {
    Dashboard,
    Integrations,
    /// An integration's page, by slug.
    Integration(&'a str),
}

impl KeptPage<'_> {
    /// Which saved views the page offers (`saved_views`' page name).
    pub fn views(self) -> Option<&'static str> {
        match self {
            Self::Dashboard => Some("dashboard"),
            Self::Integrations => Some("integrations"),
            Self::Integration(_) => None,
        }
    }

    /// A name for the page, distinct for each integration's.
    fn name(self) -> String {
        match self {
            Self::Dashboard => "/".into(),
            Self::Integrations => "/integrations".into(),
            Self::Integration(slug) => format!("/integrations/{slug}"),
        }
    }
}

/// The kept page at `path`; `None` for a page rendered as usual.
pub fn kept_page(path: &str) -> Option<KeptPage<'_>> {
    match path {
        "/" => Some(KeptPage::Dashboard),
        "/integrations" => Some(KeptPage::Integrations),
        _ => {
            let slug = path.strip_prefix("/integrations/")?;
            let one_segment = !slug.is_empty() && !slug.contains('/');
            (one_segment && slug != "new").then_some(KeptPage::Integration(slug))
        }
    }
}

/// Who reads a kept page, and where: the navigation shows their name, their role's links,
/// their unread count and how many things wait on them, and `path` is the page's path and
/// query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub user_id: i32,
    pub name: String,
    pub role: Role,
    pub unread: u64,
    pub needs: u64,
    pub path: String,
    /// Whether the page shows saved views of this reader's.
    pub own_views: bool,
}

impl PageKey {
    /// The page this reader shares with every reader of their role at the same path, with
    /// unread notifications or not and things waiting or not (each badge is markup of its
    /// own); or, when it shows their saved views, a page of their own.
    pub fn shared(&self) -> SharedKey {
        SharedKey {
            role: self.role,
            path: self.path.clone(),
            badge: self.unread > 0,
            needs_badge: self.needs > 0,
            own: self
                .own_views
                .then_some((self.user_id, self.unread, self.needs)),
        }
    }
}

/// What a kept page is rendered for: see [`PageKey::shared`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SharedKey {
    pub role: Role,
    pub path: String,
    pub badge: bool,
    pub needs_badge: bool,
    /// The reader (and their unread count and things waiting) a page of their own is
    /// rendered for.
    pub own: Option<(i32, u64, u64)>,
}

/// A rendered page: its headers and body.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub headers: http::HeaderMap,
    pub body: axum::body::Bytes,
}

impl Weigh for RenderedPage {
    fn weight(&self) -> usize {
        self.body.len()
            + self
                .headers
                .iter()
                .map(|(k, v)| k.as_str().len() + v.len())
                .sum::<usize>()
    }
}

/// The kept pages of this process.
pub type Pages = Stamped<SharedKey, RenderedPage>;

/// The kept pages on `shelf`.
pub fn pages(shelf: &Shelf) -> Pages {
    shelf.stamped()
}

/// What the reader's statement read about a session on a page.
#[derive(Debug, Clone)]
struct Read {
    user_id: i32,
    name: String,
    role: Role,
    unread: u64,
    own_views: bool,
    /// On an integration's page, the integration's id.
    integration: Option<i32>,
    /// The last change filed under no integration when it was read
    /// (`Changes::everything`).
    everything: i32,
    /// Until when it serves.
    until: Instant,
}

/// How long, at most, what was read about a reader serves their next loads (between three
/// quarters of it and all of it, so readers read at once are not read again at once): a new
/// notification for them shows within it.
pub const READER_FOR: Duration = Duration::from_secs(1);

/// How long what was read about `session_id`'s reader serves: between three quarters of
/// [`READER_FOR`] and all of it, the same for one session, spread over sessions.
fn serves_for(session_id: &str) -> Duration {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    session_id.hash(&mut h);
    let quarter = READER_FOR / 4;
    READER_FOR - quarter.mul_f64((h.finish() % 1_000) as f64 / 1_000.0)
}

/// The most sessions kept at once.
const READERS_AT_MOST: usize = 10_000;

/// What was read about each session's reader, by page, kept for [`READER_FOR`] at most:
/// until anything filed under no integration changes (an account deactivated, a role, a
/// session ended, a saved view: `Changes::everything`), or the session itself writes anything
/// through this process ([`Readers::forget`]: signing out, marking notifications read).
/// Cheap to clone; one per process, on the shelf.
#[derive(Clone, Default)]
pub struct Readers(Arc<Mutex<HashMap<(String, String), Read>>>);

impl Readers {
    fn get(&self, key: &(String, String), everything: i32) -> Option<Read> {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(key)
            .filter(|r| r.everything == everything && Instant::now() < r.until)
            .cloned()
    }

    fn put(&self, key: (String, String), read: Read) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= READERS_AT_MOST {
            let now = Instant::now();
            kept.retain(|_, r| r.everything == read.everything && now < r.until);
            if kept.len() >= READERS_AT_MOST {
                kept.clear();
            }
        }
        kept.insert(key, read);
    }

    /// Forgets what was read about `session_id`'s reader: it wrote something.
    pub fn forget(&self, session_id: &str) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.retain(|(session, _), _| session != session_id);
    }
}

/// Who reads `path` (`page`) with session `session_id`, and the stamp its page is kept at as
/// of `now`. Read in one statement ([`read`]) and kept on `shelf` ([`Readers`]) for up to a
/// second, while nothing it depends on changes; the trail's head as `changes::Changes::head` keeps it
/// (a tenth of a second, and read again after each write); on an integration's page, that
/// integration's version, as the trail was read so far (`changes::Changes::version_now`: a
/// request reading the trail's new rows holds up no other). So a reader reloading a kept page
/// costs no statement most of the time. With it, the count beside "Needs me"
/// (`needs::count::waiting`: kept per person, and counted again away from the request once a
/// count is kept). `None` for a session that has ended or an account that is not active: the
/// page, rendered as usual, sends the reader to sign in.
///
/// # Errors
/// Database failures.
pub async fn reader(
    db: &sea_orm::DatabaseConnection,
    shelf: &Shelf,
    session_id: &str,
    path: String,
    page: KeptPage<'_>,
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<Option<(PageKey, Stamp)>> {
    let changes = shelf.held::<Changes>();
    let readers = shelf.held::<Readers>();
    let key = (session_id.to_string(), page.name());
    let mut head = changes.head(db).await?;
    let everything = changes.everything_now(db, head).await?;
    let read = match readers.get(&key, everything) {
        Some(read) => read,
        None => {
            let Some((read, read_head)) = read(db, session_id, page, now, everything).await? else {
                return Ok(None);
            };
            head = changes.saw(read_head);
            readers.put(key, read.clone());
            read
        }
    };
    let version = match read.integration {
        Some(id) => changes.version_now(db, head, id).await?,
        None => head,
    };
    let me = crate::auth::model::CurrentUser {
        id: read.user_id,
        email: String::new(),
        name: read.name,
        role: read.role,
    };
    let needs = crate::needs::count::waiting(db, shelf, &me, ctx, now).await?;
    let key = PageKey {
        user_id: me.id,
        name: me.name,
        role: me.role,
        unread: read.unread,
        needs,
        path,
        own_views: read.own_views,
    };
    Ok(Some((key, stamp_at(version, now))))
}

/// What [`reader`] reads, in one statement: the session if it has not expired
/// (`auth::session::live`), its account if it is active (as `auth::session::user_of`
/// requires), the account's unread notifications (`notifications::service::unread_of`), its
/// saved views of the page, the trail's head (`activity::service::head_query`) and, on an
/// integration's page, the integration's id.
async fn read(
    db: &impl ConnectionTrait,
    session_id: &str,
    page: KeptPage<'_>,
    now: DateTime<Utc>,
    everything: i32,
) -> Result<Option<(Read, i32)>> {
    use crate::entities::{integration_follows, integrations, notifications, saved_views, users};
    use sea_orm::sea_query::{Expr, ExprTrait, Func, SelectStatement, SubQueryStatement};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
    let at = Instant::now();
    let sub =
        |q: SelectStatement| Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(q)));
    let me = || Expr::col((users::Entity, users::Column::Id));
    let unread = crate::notifications::service::unread_of(me())
        .select_only()
        .column_as(notifications::Column::Id.count(), "n")
        .into_query();
    // A reader following the integration gets a page of their own: its follow button is
    // theirs (the stand-in follows nothing).
    let follows = |slug: &str| {
        sub(integration_follows::Entity::find()
            .filter(
                Expr::col((
                    integration_follows::Entity,
                    integration_follows::Column::UserId,
                ))
                .eq(me()),
            )
            .filter(
                integration_follows::Column::IntegrationId.in_subquery(
                    integrations::Entity::find()
                        .select_only()
                        .column(integrations::Column::Id)
                        .filter(integrations::Column::Slug.eq(slug))
                        .into_query(),
                ),
            )
            .select_only()
            .column_as(integration_follows::Column::UserId.count(), "n")
            .into_query())
    };
    let own = page.views().map_or_else(
        || match page {
            KeptPage::Integration(slug) => follows(slug),
            _ => Expr::val(0i64),
        },
        |views| {
            sub(saved_views::Entity::find()
                .filter(Expr::col((saved_views::Entity, saved_views::Column::UserId)).eq(me()))
                .filter(saved_views::Column::Page.eq(views))
                .select_only()
                .column_as(saved_views::Column::Id.count(), "n")
                .into_query())
        },
    );
    let integration = match page {
        KeptPage::Integration(slug) => sub(integrations::Entity::find()
            .select_only()
            .column(integrations::Column::Id)
            .filter(integrations::Column::Slug.eq(slug))
            .into_query()),
        _ => Expr::val(Option::<i32>::None),
    };
    let head = crate::activity::service::head_query().into_query();
    let row = crate::auth::session::live(session_id, now)
        .inner_join(users::Entity)
        .filter(users::Column::Active.eq(true))
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::Name)
        .column(users::Column::Role)
        .column_as(sub(unread), "unread")
        .column_as(own, "own")
        .column_as(
            Expr::from(Func::coalesce([sub(head), Expr::val(0)])),
            "head",
        )
        .column_as(integration, "integration")
        .into_tuple::<(i32, String, Role, i64, i64, i32, Option<i32>)>()
        .one(db)
        .await?;
    Ok(
        row.map(|(user_id, name, role, unread, own, head, integration)| {
            let read = Read {
                user_id,
                name,
                role,
                unread: u64::try_from(unread).unwrap_or(0),
                own_views: own > 0,
                integration,
                everything,
                until: at + serves_for(session_id),
            };
            (read, head)
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_the_list_and_an_integrations_page_are_kept() {
        assert_eq!(kept_page("/"), Some(KeptPage::Dashboard));
        assert_eq!(KeptPage::Dashboard.views(), Some("dashboard"));
        assert_eq!(kept_page("/integrations"), Some(KeptPage::Integrations));
        assert_eq!(KeptPage::Integrations.views(), Some("integrations"));
        assert_eq!(
            kept_page("/integrations/stripe"),
            Some(KeptPage::Integration("stripe"))
        );
        assert_eq!(KeptPage::Integration("stripe").views(), None);
        assert_eq!(kept_page("/integrations/new"), None);
        assert_eq!(kept_page("/integrations/stripe/edit"), None);
        assert_eq!(kept_page("/integrations/"), None);
        assert_eq!(kept_page("/account"), None);
    }
}
