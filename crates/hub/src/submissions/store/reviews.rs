//! The content reviews (送审稿): what was submitted, by whom, what it changes, the checker's
//! report, and how the reviewer decided.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    Pending,
    /// Approved, to be published at its 发布时间.
    Scheduled,
    Approved,
    Returned,
}

impl ReviewState {
    fn name(self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Scheduled => "scheduled",
            ReviewState::Approved => "approved",
            ReviewState::Returned => "returned",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [ReviewState::Pending, ReviewState::Scheduled, ReviewState::Approved, ReviewState::Returned].into_iter().find(|s| s.name() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Pending => "待审核",
            ReviewState::Scheduled => "已批准，定时发布",
            ReviewState::Approved => "已批准发布",
            ReviewState::Returned => "已退回",
        }
    }
}

/// A submission for review, as the author leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    /// The would-be bundle's folder, under the data folder.
    pub folder: String,
    pub submitted_by: String,
    pub submitted_at: i64,
    /// Who changed the items it carries: none of them may approve it.
    pub authors: Vec<String>,
    /// The published version it was compared with (0: nothing published).
    pub base_version: u64,
    /// `Changes` and `Report`, as JSON.
    pub changes: String,
    pub report: String,
    /// Items added, changed and removed.
    pub counts: [u64; 3],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub state: ReviewState,
    pub submitted: NewReview,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    /// Why it was sent back.
    pub reason: Option<String>,
    /// When the reviewer confirmed 保密审查.
    pub secrecy_confirmed_at: Option<i64>,
    /// The 发布时间 the reviewer set.
    pub publish_at: Option<i64>,
    /// The bundle version it was published as.
    pub version: Option<u64>,
}

impl Review {
    /// Waiting for a decision, or approved for a 发布时间 still to come.
    pub fn is_open(&self) -> bool {
        matches!(self.state, ReviewState::Pending | ReviewState::Scheduled)
    }
}

/// How a reviewer decides, and what becomes of a review approved for a later 发布时间.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Published as `version`.
    Approved { version: u64, secrecy_confirmed_at: i64 },
    /// To be published at `publish_at`.
    Scheduled { publish_at: i64, secrecy_confirmed_at: i64 },
    Returned { reason: String },
}

const COLUMNS: &str = "id, state, folder, submitted_by, submitted_at, authors, base_version, changes, report, added, changed, removed,
                       decided_by, decided_at, reason, secrecy_confirmed_at, version, publish_at";

pub fn add(c: &Connection, review: &NewReview) -> Result<i64, StoreError> {
    let authors = serde_json::to_string(&review.authors).map_err(|e| StoreError::Failed(e.to_string()))?;
    let [added, changed, removed] = review.counts.map(|n| n as i64);
    let inserted = c.execute(
        "INSERT INTO content_reviews (state, folder, submitted_by, submitted_at, authors, base_version, changes, report, added, changed, removed)
         VALUES ('pending', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![review.folder, review.submitted_by, review.submitted_at, authors, review.base_version as i64, review.changes, review.report, added, changed, removed],
    );
    match inserted {
        Ok(_) => Ok(c.last_insert_rowid()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
            Err(StoreError::Refused("已有一份送审稿在等待审核或定时发布；发布或退回后才能再次送审。".into()))
        }
        Err(e) => Err(StoreError::Failed(e.to_string())),
    }
}

/// The latest reviews, newest first, without their changes and report (which may be large).
pub fn latest(c: &Connection, limit: usize) -> rusqlite::Result<Vec<Review>> {
    let listed = COLUMNS.replace("changes, report", "'' AS changes, '' AS report");
    let mut statement = c.prepare(&format!("SELECT {listed} FROM content_reviews ORDER BY id DESC LIMIT ?1"))?;
    let rows = statement.query_map([limit as i64], read)?;
    rows.collect()
}

pub fn one(c: &Connection, id: i64) -> rusqlite::Result<Option<Review>> {
    c.query_row(&format!("SELECT {COLUMNS} FROM content_reviews WHERE id = ?1"), [id], read).optional()
}

/// The review approved for a 发布时间 of `now` or before, if any.
pub fn due(c: &Connection, now: i64) -> rusqlite::Result<Option<Review>> {
    c.query_row(&format!("SELECT {COLUMNS} FROM content_reviews WHERE state = 'scheduled' AND publish_at <= ?1 ORDER BY id LIMIT 1"), [now], read)
        .optional()
}

/// Records the decision on a review that is still open (waiting, or scheduled: published at
/// its time or sent back before); one already closed, or scheduled twice, is a conflict.
pub fn decide(c: &Connection, id: i64, staff: &str, decision: &Decision, at: i64) -> Result<(), StoreError> {
    let changed = match decision {
        Decision::Approved { version, secrecy_confirmed_at } => c.execute(
            "UPDATE content_reviews SET state = 'approved', decided_by = ?2, decided_at = ?3, secrecy_confirmed_at = ?4, version = ?5
             WHERE id = ?1 AND state IN ('pending', 'scheduled')",
            params![id, staff, at, secrecy_confirmed_at, *version as i64],
        ),
        Decision::Scheduled { publish_at, secrecy_confirmed_at } => c.execute(
            "UPDATE content_reviews SET state = 'scheduled', decided_by = ?2, decided_at = ?3, secrecy_confirmed_at = ?4, publish_at = ?5
             WHERE id = ?1 AND state = 'pending'",
            params![id, staff, at, secrecy_confirmed_at, publish_at],
        ),
        Decision::Returned { reason } => c.execute(
            "UPDATE content_reviews SET state = 'returned', decided_by = ?2, decided_at = ?3, reason = ?4 WHERE id = ?1 AND state IN ('pending', 'scheduled')",
            params![id, staff, at, reason],
        ),
    }
    .map_err(|e| StoreError::Failed(e.to_string()))?;
    if changed == 0 { Err(StoreError::Conflict) } else { Ok(()) }
}

fn read(r: &Row) -> rusqlite::Result<Review> {
    let state: String = r.get(1)?;
    let authors: String = r.get(5)?;
    let count = |i: usize| r.get::<_, i64>(i).map(|n| n as u64);
    Ok(Review {
        id: r.get(0)?,
        state: ReviewState::from_name(&state).unwrap_or(ReviewState::Returned),
        submitted: NewReview {
            folder: r.get(2)?,
            submitted_by: r.get(3)?,
            submitted_at: r.get(4)?,
            authors: serde_json::from_str(&authors).unwrap_or_default(),
            base_version: r.get::<_, i64>(6)? as u64,
            changes: r.get(7)?,
            report: r.get(8)?,
            counts: [count(9)?, count(10)?, count(11)?],
        },
        decided_by: r.get(12)?,
        decided_at: r.get(13)?,
        reason: r.get(14)?,
        secrecy_confirmed_at: r.get(15)?,
        version: r.get::<_, Option<i64>>(16)?.map(|v| v as u64),
        publish_at: r.get(17)?,
    })
}
