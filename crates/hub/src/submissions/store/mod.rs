//! Durable storage for submissions, staff accounts, sessions, the audit log and the QR
//! funnel, behind one trait so that a city-wide deployment can put PostgreSQL behind the
//! same hub. Every method blocks; the hub calls them off its async threads.
//!
//! The promise every backend keeps: `submit` returns only after the submission is committed
//! to stable storage, so a 查询码 shown to a visitor is never lost.

mod checkpointer;
mod migrations;
mod reviews;
mod sqlite;
mod workspace;
mod writer;

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use reviews::{Decision, NewReview, Review, ReviewState};
pub use sqlite::SqliteStore;
pub use workspace::{FileFill, Upload, WorkspaceEntry, WorkspaceQuery, WorkspaceRow};

use crate::{
    fleet::{KioskState, alerts::Problem},
    reports::published::DocumentFacts,
    roles::Roles,
};
use gongkai_core::{
    content::workspace::{Item, Kind as ContentKind, StoredFile},
    fleet::{PagePlay, ScreenCount},
};
use super::{
    appeal::{Appeal, AppealGroup, AppealKind, AppealResult},
    applicant::ApplicantClass,
    calendar::WorkCalendar,
    channel::Channel,
    deadline::Urgency,
    form::{Fields, Kind},
    outcome::Outcome,
    query_code::QueryCode,
    workflow::{Action, Case, State},
};

/// What the visitor's form was about: a document, a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Subject {
    pub id: String,
    pub title: String,
}

/// A submission about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    /// Chosen when the form was shown: sending the same form twice (a double tap, a retry
    /// after a lost connection) stores it once and gives back the same 查询码.
    pub key: String,
    pub kind: Kind,
    pub subject: Option<Subject>,
    pub fields: Fields,
    /// The kiosk whose QR code the visitor scanned, when its link was valid.
    pub kiosk: Option<String>,
    /// Why the submission is not attributed to a kiosk (an expired or forged link).
    pub origin_note: Option<String>,
    pub submitted_at: i64,
    pub received_on: NaiveDate,
    /// Online for the phone forms; in person or by post for those registered at the window.
    pub channel: Channel,
    /// The organ that receives it (`organs`).
    pub organ: String,
}

impl NewSubmission {
    /// The key a form sent back when it is one a page gave out (64 hex digits), or a fresh
    /// one: a form without a proper key (crafted by hand) gets no protection from resending.
    pub fn key_from(sent: Option<String>) -> std::io::Result<String> {
        match sent.filter(|key| key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit())) {
            Some(key) => Ok(key),
            None => gongkai_core::random::hex_token(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: i64,
    pub code: QueryCode,
    /// The same form had been stored before.
    pub duplicate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub id: i64,
    pub code: QueryCode,
    pub subject: Option<Subject>,
    pub fields: Fields,
    pub kiosk: Option<String>,
    pub origin_note: Option<String>,
    pub submitted_at: i64,
    pub case: Case,
    /// Bumped by every change: a member of staff acting on an old page gets a conflict.
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxQuery {
    pub kind: Option<Kind>,
    pub state: Option<State>,
    pub kiosk: Option<String>,
    /// A 查询码 (that one submission), or words matched against the subject and the answers.
    pub text: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Only 政府信息公开申请 whose statutory clock runs (for the deadline filters).
    pub clock_running: bool,
    /// Only answers whose 答复书 awaits delivery (`Case::awaiting_delivery`).
    pub undelivered: bool,
    /// Only the cases this organ handles.
    pub organ: Option<String>,
}

/// Where a page of the inbox starts: after this submission, in newest-first order. Paging by
/// position in the order (keyset) costs the same on the first page and the ten-thousandth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub submitted_at: i64,
    pub id: i64,
}

impl Cursor {
    pub fn after(s: &Submission) -> Self {
        Self { submitted_at: s.submitted_at, id: s.id }
    }

    /// `SUBMITTED_AT.ID`, as in the pager's links.
    pub fn parse(text: &str) -> Option<Self> {
        let (at, id) = text.split_once('.')?;
        Some(Self { submitted_at: at.parse().ok()?, id: id.parse().ok()? })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.submitted_at, self.id)
    }
}

/// A failed log-in, kept apart from the audit log so that a flood of them cannot push real
/// entries out of sight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginFailure {
    pub at: i64,
    /// As typed, cut to 64 characters.
    pub username: String,
    pub source: String,
    pub reason: String,
}

/// A command sent to a kiosk from the fleet page, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    pub id: i64,
    pub kiosk: String,
    /// `KioskCommand::name`.
    pub command: String,
    pub staff: String,
    pub issued_at: i64,
    pub state: CommandState,
    pub updated_at: i64,
    /// The kiosk's answer.
    pub detail: String,
}

/// A kiosk's latest 截图.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screenshot {
    /// Unix milliseconds of the frame.
    pub taken_at_ms: i64,
    pub png: Vec<u8>,
}

/// Issued (the kiosk had no stream), sent over its stream, or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandState {
    Waiting,
    Sent,
    Done,
    Failed,
}

impl CommandState {
    pub fn name(self) -> &'static str {
        match self {
            CommandState::Waiting => "waiting",
            CommandState::Sent => "sent",
            CommandState::Done => "done",
            CommandState::Failed => "failed",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [CommandState::Waiting, CommandState::Sent, CommandState::Done, CommandState::Failed].into_iter().find(|s| s.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub staff: String,
    pub code: Option<String>,
    pub action: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    /// A disabled account cannot sign in, and its sessions are gone.
    pub disabled: bool,
    pub roles: Roles,
    /// The id of the organ it belongs to; empty for the organ that receives applications.
    pub organ: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff_id: i64,
    pub username: String,
    pub display_name: String,
    pub csrf: String,
    pub roles: Roles,
    /// As `StaffAccount::organ`.
    pub organ: String,
}

/// QR codes shown on a kiosk, handoff links opened from them, and submissions they led to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FunnelRow {
    pub kiosk: String,
    pub shown: u64,
    pub opened: u64,
    pub submitted: u64,
}

/// Proof of play of one day, kiosk, and wall page or screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlayDay {
    /// `2026-12-05`, in the hub's time zone.
    pub day: String,
    pub kiosk: String,
    /// A wall page (shown `times` for `seconds` in all) or a screen (opened `times`).
    pub is_page: bool,
    pub name: String,
    pub times: u64,
    pub seconds: u64,
}

/// The figures of the statistics page, counted in the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseCounts {
    pub by_kind_and_state: Vec<(Kind, State, u64)>,
    pub by_outcome: Vec<(Outcome, u64)>,
}

/// Applications that count in one year's annual report, grouped by their applicant's column,
/// whether they came in that year or were carried in from before, and how they ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearGroup {
    pub class: ApplicantClass,
    /// Received in the year (一、本年新收); otherwise carried in (二、上年结转).
    pub received_in_year: bool,
    pub ended: Ended,
    pub cases: u64,
}

/// How an application stood at the end of a report's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Answered or withdrawn in the year with this outcome.
    As(Outcome),
    /// Answered in the year before outcomes were kept, still to be classified.
    Unclassified,
    /// Still open at the year's end (四、结转下年度).
    Open,
}

/// Failed log-ins kept at most.
pub const LOGIN_FAILURES_KEPT: i64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The workflow refused the action; the message is for staff.
    Refused(String),
    /// The record changed since the page was loaded.
    Conflict,
    NotFound,
    /// A staff account of that name exists.
    Exists(String),
    /// The database failed; the text names the file and the reason.
    Failed(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Refused(reason) => write!(f, "{reason}"),
            StoreError::Conflict => write!(f, "此记录已被他人修改，请刷新页面后再操作"),
            StoreError::NotFound => write!(f, "没有这条记录"),
            StoreError::Exists(name) => write!(f, "staff account {name:?} exists"),
            StoreError::Failed(reason) => write!(f, "{reason}"),
        }
    }
}

impl std::error::Error for StoreError {}

pub trait Store: Send + Sync {
    /// Stores a submission; returns once it is durable.
    fn submit(&self, new: NewSubmission) -> Result<Receipt, StoreError>;
    fn by_code(&self, code: &QueryCode) -> Result<Option<Submission>, StoreError>;
    fn by_id(&self, id: i64) -> Result<Option<Submission>, StoreError>;
    /// Up to `limit` submissions matching `query`, newest first, after `after` when given.
    fn inbox(&self, query: &InboxQuery, after: Option<Cursor>, limit: usize) -> Result<Vec<Submission>, StoreError>;
    /// How many submissions match `query`, counting no further than `cap`.
    fn inbox_count(&self, query: &InboxQuery, cap: usize) -> Result<usize, StoreError>;
    /// Submissions by kind and state, and answered 政府信息公开申请 by outcome; of one organ
    /// when given.
    fn case_counts(&self, organ: Option<&str>) -> Result<CaseCounts, StoreError>;
    /// The applications counted in `year`'s annual report, grouped; of one organ when given.
    fn year_groups(&self, year: i32, organ: Option<&str>) -> Result<Vec<YearGroup>, StoreError>;
    /// The 查询码 of up to `limit` applications answered in `year` without an outcome; of one
    /// organ when given.
    fn unclassified(&self, year: i32, organ: Option<&str>, limit: usize) -> Result<Vec<QueryCode>, StoreError>;
    /// How many applications the applicant of `submission` (known by the identity number it
    /// gives) made to its organ in the calendar month it was received, up to and including
    /// it: 按件计收's count (国办函〔2020〕109号第四条).
    fn applications_in_month(&self, submission: &Submission) -> Result<u32, StoreError>;
    /// Records a 复议 or 诉讼 filed against the handling of application `id`, as `staff`, from
    /// a page that showed `recorded` of them: the same form sent again (a double click) records
    /// nothing more, and one from a page since outdated is a `Conflict`. With `organ`, refused
    /// unless the case is that organ's when it is written (one handed on meanwhile is not).
    fn add_appeal(&self, id: i64, organ: Option<&str>, kind: AppealKind, filed_on: NaiveDate, staff: &str, recorded: usize) -> Result<(), StoreError>;
    /// Records how appeal `appeal` of application `id` ended, as `staff`; with `organ`, as
    /// `add_appeal`.
    fn decide_appeal(&self, id: i64, organ: Option<&str>, appeal: i64, result: AppealResult, decided_on: NaiveDate, staff: &str) -> Result<(), StoreError>;
    /// The 复议 and 诉讼 of application `id`, in the order filed.
    fn appeals(&self, id: i64) -> Result<Vec<Appeal>, StoreError>;
    /// Keeps the 行政事业性收费 `organ` (its id and name) collected in `year` (yuan), as `staff`
    /// entered it for the annual report, in place of an earlier figure, with its audit entry.
    fn set_report_fee(&self, year: i32, organ: (&str, &str), yuan: i64, staff: &str) -> Result<(), StoreError>;
    /// The 行政事业性收费 entered for `year`, by organ.
    fn report_fees(&self, year: i32) -> Result<BTreeMap<String, i64>, StoreError>;
    /// The 复议 and 诉讼 filed in `year`, grouped by kind and by how they had ended by its end;
    /// against one organ's cases when given.
    fn year_appeals(&self, year: i32, organ: Option<&str>) -> Result<Vec<AppealGroup>, StoreError>;
    /// Applies a staff action to the case if it is still at `expected_version`, with an
    /// audit entry in the same transaction.
    fn act(&self, id: i64, expected_version: i64, staff: &str, action: &Action) -> Result<Submission, StoreError>;
    /// An audit entry not tied to a case (log-ins, exports, accounts).
    fn audit(&self, staff: &str, action: &str, detail: &str) -> Result<(), StoreError>;
    /// An audit entry of the case `submission` that changes nothing in it (a 文书 downloaded,
    /// a 窗口登记), shown on its page.
    fn audit_case(&self, submission: i64, staff: &str, action: &str, detail: &str) -> Result<(), StoreError>;
    /// Newest first; of one case when `code` is given; of one organ's cases only when `organ`
    /// is given.
    fn audit_log(&self, code: Option<&QueryCode>, organ: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
    /// Gives the cases and accounts without an organ (kept before organs were, or an account
    /// added without one) to `organ`; returns how many cases.
    fn adopt_unassigned(&self, organ: &str) -> Result<u64, StoreError>;
    /// How many cases each organ handles, by organ id.
    fn cases_by_organ(&self) -> Result<BTreeMap<String, u64>, StoreError>;

    /// A visitor opened a valid handoff link from `kiosk`.
    fn record_opened(&self, kiosk: &str, target: &str) -> Result<(), StoreError>;
    /// A kiosk's running count of QR codes shown since it started at `started_at`.
    fn record_shown(&self, kiosk: &str, started_at: i64, counts: &BTreeMap<String, u64>) -> Result<(), StoreError>;
    fn funnel(&self) -> Result<Vec<FunnelRow>, StoreError>;

    /// Keeps the pages a kiosk showed and its screens' counts by hour; a record sent again
    /// changes nothing, and a count is only ever raised.
    fn record_plays(&self, kiosk: &str, pages: &[PagePlay], screens: &[ScreenCount]) -> Result<(), StoreError>;
    /// Proof of play from `from` to before `to` (Unix seconds), by day at `utc_offset_s`,
    /// kiosk, then pages before screens, by name; of one kiosk when given.
    fn plays_by_day(&self, from: i64, to: i64, utc_offset_s: i64, kiosk: Option<&str>) -> Result<Vec<PlayDay>, StoreError>;
    /// Removes the proof of play from before `before` (Unix seconds); returns how many records.
    fn prune_plays(&self, before: i64) -> Result<u64, StoreError>;

    /// Keeps a kiosk's latest state in place of an older revision (a state that arrives late
    /// changes nothing).
    fn save_kiosk_state(&self, state: &KioskState) -> Result<(), StoreError>;
    /// Every kiosk state kept, for the fleet after a restart.
    fn kiosk_states(&self) -> Result<Vec<KioskState>, StoreError>;
    /// What `channel` last alerted of `kiosk`: its problems then.
    fn save_alert_sent(&self, channel: &str, kiosk: &str, problems: &BTreeSet<Problem>) -> Result<(), StoreError>;
    /// Every (channel, kiosk, problems) alerted.
    fn alerts_sent(&self) -> Result<Vec<(String, String, BTreeSet<Problem>)>, StoreError>;

    /// Keeps a command issued by `staff` for each of `kiosks`, waiting to be sent, in one
    /// transaction; returns their ids in the same order.
    fn add_commands(&self, kiosks: &[String], command: &str, staff: &str, at: i64) -> Result<Vec<i64>, StoreError>;
    /// Marks commands sent (those still waiting, or sent before into a stream now gone).
    fn commands_sent(&self, ids: &[i64], at: i64) -> Result<(), StoreError>;
    /// Keeps `kiosk`'s answer to its unanswered command `id`; false if it has no such
    /// command, or answered it already (a replayed answer changes nothing).
    fn command_answered(&self, id: i64, kiosk: &str, done: bool, detail: &str, at: i64) -> Result<bool, StoreError>;
    /// The latest commands, newest first: of one kiosk, and only those unanswered and issued
    /// since `since`, when given.
    fn commands(&self, kiosk: Option<&str>, unanswered_since: Option<i64>, limit: usize) -> Result<Vec<CommandRecord>, StoreError>;
    /// Removes commands issued before `before` (Unix seconds); returns how many.
    fn prune_commands(&self, before: i64) -> Result<u64, StoreError>;

    /// Keeps `kiosk`'s screenshot in place of an older one; false (and nothing kept) if the
    /// one kept was taken at the same time or later.
    fn save_screenshot(&self, kiosk: &str, screenshot: Screenshot) -> Result<bool, StoreError>;
    fn screenshot(&self, kiosk: &str) -> Result<Option<Screenshot>, StoreError>;
    /// When each kiosk's screenshot was taken (Unix milliseconds), by kiosk.
    fn screenshot_times(&self) -> Result<BTreeMap<String, i64>, StoreError>;

    /// Replaces the whole content workspace with `items` and `files`, in one transaction.
    fn workspace_replace(&self, items: Vec<Item>, files: Vec<StoredFile>, staff: &str, at: i64) -> Result<(), StoreError>;
    /// How many items of each kind the workspace holds.
    fn workspace_counts(&self) -> Result<BTreeMap<ContentKind, u64>, StoreError>;
    /// A page of the items that match `query`, newest first then by key, and how many match.
    fn workspace_list(&self, query: &WorkspaceQuery, offset: usize, limit: usize) -> Result<(Vec<WorkspaceRow>, u64), StoreError>;
    /// The years items of `kind` are dated in, newest first.
    fn workspace_years(&self, kind: ContentKind) -> Result<Vec<String>, StoreError>;
    fn workspace_item(&self, kind: ContentKind, id: &str) -> Result<Option<WorkspaceEntry>, StoreError>;
    /// Every item and file, to write a content folder of.
    fn workspace_all(&self) -> Result<(Vec<Item>, Vec<StoredFile>), StoreError>;
    /// Every item of `kind`, by file and place.
    fn workspace_kind(&self, kind: ContentKind) -> Result<Vec<Item>, StoreError>;
    /// The documents of the workspace that carry a 文件类别, with their 发文机关, as section 二
    /// of the annual report counts them; and how many of those could not be read.
    fn categorized_documents(&self) -> Result<(Vec<(String, DocumentFacts)>, usize), StoreError>;
    /// The content files `kind`'s items are in, and how full each is.
    fn workspace_fills(&self, kind: ContentKind) -> Result<Vec<FileFill>, StoreError>;
    /// Saves an item, new (`expected` is `None`; refused if its key is taken) or still at
    /// revision `expected` (else `Conflict`, or `NotFound` once deleted), with the audit
    /// entry `audit` (action, detail) in the same transaction. Returns its revision now.
    fn workspace_save(&self, item: Item, expected: Option<i64>, staff: &str, audit: (&str, &str)) -> Result<i64, StoreError>;
    /// Removes an item still at revision `expected`, with its audit entry.
    fn workspace_delete(&self, kind: ContentKind, id: &str, expected: i64, staff: &str, audit: (&str, &str)) -> Result<(), StoreError>;
    /// Saves a changed item at revision `expected` with the bundle files `put` (added or
    /// replaced) and `remove`d, in one transaction with the audit entry. Returns its revision.
    fn workspace_save_files(&self, item: Item, expected: i64, put: Vec<StoredFile>, remove: Vec<String>, staff: &str, audit: (&str, &str)) -> Result<i64, StoreError>;
    /// Saves every item (each new, or over the revision given) in one transaction with one
    /// audit entry; nothing when any of them is refused.
    fn workspace_apply(&self, writes: Vec<(Item, Option<i64>)>, staff: &str, audit: (&str, &str)) -> Result<(), StoreError>;
    /// Keeps a spreadsheet uploaded for import; returns its number. Uploads older than a day,
    /// and all but the latest few of the same staff member, are removed.
    fn save_upload(&self, upload: Upload) -> Result<i64, StoreError>;
    /// An upload of the last day.
    fn upload(&self, id: i64) -> Result<Option<Upload>, StoreError>;
    fn delete_upload(&self, id: i64) -> Result<(), StoreError>;
    /// Who last changed these items (those still in the workspace).
    fn workspace_editors(&self, keys: &[(ContentKind, String)]) -> Result<BTreeSet<String>, StoreError>;

    // Content reviews (送审稿).
    /// Records a submission for review with its audit entry (`{id}` in the detail becomes the
    /// review's number); refused while another is open.
    fn add_review(&self, review: NewReview, audit: (&str, &str)) -> Result<i64, StoreError>;
    /// The latest reviews, newest first, without their changes and report.
    fn reviews(&self, limit: usize) -> Result<Vec<Review>, StoreError>;
    fn review(&self, id: i64) -> Result<Option<Review>, StoreError>;
    /// The review approved for a 发布时间 of `now` or before, if any.
    fn due_review(&self, now: i64) -> Result<Option<Review>, StoreError>;
    /// Decides an open review, with its audit entry; `Conflict` when it is no longer open.
    fn decide_review(&self, id: i64, staff: &str, decision: Decision, audit: (&str, &str)) -> Result<(), StoreError>;

    // Staff accounts: each change is in the audit log as done `by` that member of staff.
    fn add_staff(&self, username: &str, display_name: &str, password_hash: &str, roles: Roles, organ: &str, by: &str) -> Result<(), StoreError>;
    /// Moves an account to the organ `organ` (its id and name); its open sessions see that
    /// organ's cases from their next request.
    fn set_organ(&self, username: &str, organ: (&str, &str), by: &str) -> Result<(), StoreError>;
    /// Sets an account's roles; its open sessions have the new ones from their next request.
    fn set_roles(&self, username: &str, roles: Roles, by: &str) -> Result<(), StoreError>;
    /// Sets an account's password; its sessions end.
    fn set_password(&self, username: &str, password_hash: &str, by: &str) -> Result<(), StoreError>;
    /// Disables or enables an account; disabling ends its sessions.
    fn set_disabled(&self, username: &str, disabled: bool, by: &str) -> Result<(), StoreError>;
    fn staff(&self, username: &str) -> Result<Option<StaffAccount>, StoreError>;
    /// Every account, by user name.
    fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError>;
    /// Logs a failed log-in; only the latest `LOGIN_FAILURES_KEPT` are kept.
    fn login_failure(&self, username: &str, source: &str, reason: &str) -> Result<(), StoreError>;
    /// Newest first.
    fn login_failures(&self, limit: usize) -> Result<Vec<LoginFailure>, StoreError>;
    /// Stores a new session under the SHA-256 of its cookie.
    fn start_session(&self, token_hash: &str, staff_id: i64, csrf: &str, now: i64) -> Result<(), StoreError>;
    /// The session if it was used within `idle_s` seconds and began within `lifetime_s`, of
    /// an account still enabled; marks it used now.
    fn session(&self, token_hash: &str, now: i64, idle_s: i64, lifetime_s: i64) -> Result<Option<Session>, StoreError>;
    fn end_session(&self, token_hash: &str) -> Result<(), StoreError>;
}

impl Submission {
    /// Whether the statutory clock runs: a 政府信息公开申请 still being handled (while the
    /// office waits for 补正 the clock stands, and restarts from the corrected application).
    /// It runs on while a fee is awaited: no rule found says it stops.
    fn clock_runs(&self) -> bool {
        self.case.kind == Kind::Apply
            && matches!(self.case.state, State::Registered | State::InProgress | State::Extended | State::AwaitingPayment)
    }

    /// The statutory answer date while the clock runs.
    pub fn due_on(&self, calendar: &WorkCalendar, today: NaiveDate) -> Option<NaiveDate> {
        self.clock_runs().then(|| self.case.clock.due_on(calendar, today))
    }

    /// Overdue or due soon, while the clock runs.
    pub fn urgency(&self, calendar: &WorkCalendar, today: NaiveDate) -> Option<Urgency> {
        self.clock_runs().then(|| self.case.clock.urgency(calendar, today))
    }
}
