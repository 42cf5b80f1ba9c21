//! The default backend: one SQLite file in WAL mode with `synchronous = FULL`, written by a
//! single group-committing thread (see `writer`) and read through a small pool.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    sync::Mutex,
};

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{
    AuditEntry, CaseCounts, CommandRecord, CommandState, Cursor, Decision, FunnelRow, InboxQuery, LOGIN_FAILURES_KEPT, LoginFailure, NewReview, NewSubmission, PlayDay,
    Receipt, Review, Screenshot, Session, StaffAccount, Store, StoreError, Subject, Submission, YearGroup, Ended, checkpointer::Checkpointer, migrations::MIGRATIONS, reviews,
    workspace::{self, FileFill, Upload, WorkspaceEntry, WorkspaceQuery, WorkspaceRow},
    writer::Writer,
};
use gongkai_core::content::workspace::{Item, Kind as ContentKind, StoredFile};
use crate::{
    fleet::{KioskState, MAX_SHOWN_COUNT, alerts::Problem},
    reports::published::DocumentFacts,
    roles::{Role, Roles},
};
use gongkai_core::fleet::{PagePlay, ScreenCount};
use crate::submissions::{
    appeal::{Appeal, AppealGroup, AppealKind, AppealResult},
    applicant::ApplicantClass,
    channel::Channel,
    deadline::Clock,
    fees::FeeNotice,
    form::{Fields, Kind},
    outcome::Outcome,
    query_code::QueryCode,
    workflow::{Action, Case, Notices, State},
};

pub struct SqliteStore {
    path: PathBuf,
    writer: Writer,
    _checkpointer: Checkpointer,
    readers: Mutex<Vec<Connection>>,
}

const COLUMNS: &str = "id, code, kind, subject_id, subject_title, fields, kiosk, origin_note, submitted_at, \
     received_on, state, corrected_on, extended, correction_requested, third_party, outcome, concluded_on, reply_text, version, notices, channel, organ";

impl SqliteStore {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut connection = connect(path)?;
        migrate(&mut connection).map_err(|e| StoreError::Failed(format!("{}: {e}", path.display())))?;
        connection.pragma_update(None, "wal_autocheckpoint", 0).map_err(|e| StoreError::Failed(format!("{}: {e}", path.display())))?;
        let cannot_start = |what: &str, e: std::io::Error| StoreError::Failed(format!("{}: cannot start the {what}: {e}", path.display()));
        let writer = Writer::start(connection, "submissions").map_err(|e| cannot_start("writer", e))?;
        let checkpointer = Checkpointer::start(connect(path)?, "submissions").map_err(|e| cannot_start("checkpointer", e))?;
        Ok(Self { path: path.to_path_buf(), writer, _checkpointer: checkpointer, readers: Mutex::new(Vec::new()) })
    }

    fn read<R>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<R>) -> Result<R, StoreError> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let connection = match pooled {
            Some(c) => c,
            None => connect(&self.path)?,
        };
        let result = work(&connection).map_err(|e| self.failed(e));
        self.readers.lock().unwrap_or_else(|p| p.into_inner()).push(connection);
        result
    }

    fn failed(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Failed(format!("{}: {e}", self.path.display()))
    }

    fn write<R: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let path = self.path.display().to_string();
        self.writer.write(work).map_err(|e| match e {
            StoreError::Failed(reason) => StoreError::Failed(format!("{path}: {reason}")),
            other => other,
        })
    }
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let fail = |e: rusqlite::Error| StoreError::Failed(format!("{}: {e}", path.display()));
    let connection = Connection::open(path).map_err(fail)?;
    // WAL lets the console read while forms are written; FULL syncs the log on every commit,
    // so a committed submission survives a power cut, not just a crash of the hub.
    connection
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        )
        .map_err(fail)?;
    Ok(connection)
}

fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = connection.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if applied > MIGRATIONS.len() {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "schema version {applied} is newer than this hub knows ({}); use a newer gongkai-hub",
            MIGRATIONS.len()
        )));
    }
    let transaction = connection.transaction()?;
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", (step + 1) as i64)?;
    }
    transaction.commit()
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Failed(format!("database: {e}"))
}

fn is_unique_violation(e: &rusqlite::Error, column: &str) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(message))
        if f.code == rusqlite::ErrorCode::ConstraintViolation && message.contains(column))
}

/// A row as stored; converted to `Submission` outside rusqlite's error type.
struct StoredRow {
    id: i64,
    code: String,
    kind: String,
    subject_id: Option<String>,
    subject_title: Option<String>,
    fields: String,
    kiosk: Option<String>,
    origin_note: Option<String>,
    submitted_at: i64,
    received_on: String,
    state: String,
    corrected_on: Option<String>,
    extended: bool,
    correction_requested: bool,
    third_party: String,
    outcome: Option<String>,
    concluded_on: Option<String>,
    reply_text: Option<String>,
    version: i64,
    notices: String,
    channel: String,
    organ: String,
}

impl StoredRow {
    fn read(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            code: row.get(1)?,
            kind: row.get(2)?,
            subject_id: row.get(3)?,
            subject_title: row.get(4)?,
            fields: row.get(5)?,
            kiosk: row.get(6)?,
            origin_note: row.get(7)?,
            submitted_at: row.get(8)?,
            received_on: row.get(9)?,
            state: row.get(10)?,
            corrected_on: row.get(11)?,
            extended: row.get(12)?,
            correction_requested: row.get(13)?,
            third_party: row.get(14)?,
            outcome: row.get(15)?,
            concluded_on: row.get(16)?,
            reply_text: row.get(17)?,
            version: row.get(18)?,
            notices: row.get(19)?,
            channel: row.get(20)?,
            organ: row.get(21)?,
        })
    }

    fn into_submission(self) -> Result<Submission, StoreError> {
        let bad = |what: &str| StoreError::Failed(format!("submission {}: unreadable {what}", self.id));
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad("date"));
        let kind = Kind::parse(&self.kind).ok_or_else(|| bad("kind"))?;
        let notices: Notices = serde_json::from_str(&self.notices).map_err(|_| bad("notices"))?;
        let clock = Clock {
            received_on: date(&self.received_on)?,
            corrected_on: self.corrected_on.as_deref().map(date).transpose()?,
            extended: self.extended,
            third_party: serde_json::from_str(&self.third_party).map_err(|_| bad("third-party periods"))?,
            fee: notices.fee.as_ref().map(FeeNotice::pause),
        };
        let case = Case {
            kind,
            organ: self.organ.clone(),
            channel: Channel::parse(&self.channel).ok_or_else(|| bad("channel"))?,
            state: State::parse(&self.state).ok_or_else(|| bad("state"))?,
            clock,
            correction_requested: self.correction_requested,
            outcome: self.outcome.as_deref().map(|o| Outcome::parse(o).ok_or_else(|| bad("outcome"))).transpose()?,
            concluded_on: self.concluded_on.as_deref().map(date).transpose()?,
            reply_text: self.reply_text.clone(),
            notices,
        };
        Ok(Submission {
            id: self.id,
            code: QueryCode::parse(&self.code).ok_or_else(|| bad("查询码"))?,
            subject: self.subject_id.clone().map(|id| Subject { id, title: self.subject_title.clone().unwrap_or_default() }),
            fields: serde_json::from_str::<Fields>(&self.fields).map_err(|_| bad("fields"))?,
            kiosk: self.kiosk.clone(),
            origin_note: self.origin_note.clone(),
            submitted_at: self.submitted_at,
            case,
            version: self.version,
        })
    }
}

fn select_one(connection: &Connection, filter: &str, value: &dyn rusqlite::ToSql) -> rusqlite::Result<Option<StoredRow>> {
    connection
        .query_row(&format!("SELECT {COLUMNS} FROM submissions WHERE {filter}"), [value], StoredRow::read)
        .optional()
}

fn insert(connection: &Connection, new: &NewSubmission) -> Result<Receipt, StoreError> {
    let fields = serde_json::to_string(&new.fields).map_err(|e| StoreError::Failed(e.to_string()))?;
    // A 60-bit code collides with one of a million stored ones about once in 10^12 tries.
    for _ in 0..4 {
        let code = QueryCode::generate().map_err(|e| StoreError::Failed(format!("no randomness: {e}")))?;
        let inserted = connection.execute(
            "INSERT INTO submissions (code, idempotency_key, kind, subject_id, subject_title, fields, kiosk, origin_note,
                 submitted_at, received_on, state, applicant_class, channel, organ)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                code.as_str(),
                new.key,
                new.kind.as_str(),
                new.subject.as_ref().map(|s| &s.id),
                new.subject.as_ref().map(|s| &s.title),
                fields,
                new.kiosk,
                new.origin_note,
                new.submitted_at,
                new.received_on.to_string(),
                State::Registered.as_str(),
                ApplicantClass::of(new.kind, &new.fields).map(ApplicantClass::as_str),
                new.channel.as_str(),
                new.organ,
            ],
        );
        match inserted {
            Ok(_) => return Ok(Receipt { id: connection.last_insert_rowid(), code, duplicate: false }),
            Err(e) if is_unique_violation(&e, "idempotency_key") => {
                let (id, code): (i64, String) = connection
                    .query_row("SELECT id, code FROM submissions WHERE idempotency_key = ?1", [&new.key], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .map_err(db)?;
                let code = QueryCode::parse(&code).ok_or_else(|| StoreError::Failed(format!("submission {id}: unreadable 查询码")))?;
                return Ok(Receipt { id, code, duplicate: true });
            }
            Err(e) if is_unique_violation(&e, "code") => continue,
            Err(e) => return Err(db(e)),
        }
    }
    Err(StoreError::Failed("could not find an unused 查询码".into()))
}

/// Roles as stored; a value no longer understood grants nothing.
/// How many enabled accounts have the 管理员 role.
fn enabled_admins(c: &Connection) -> Result<i64, StoreError> {
    let role = format!("%,{},%", Role::Admin.label());
    c.query_row("SELECT COUNT(*) FROM staff WHERE disabled = 0 AND (',' || roles || ',') LIKE ?1", [role], |r| r.get(0)).map_err(db)
}

/// Refuses a change that leaves no enabled 管理员 where there was one (two 管理员 taking the
/// role from each other at the same moment): nobody could manage accounts in the console.
fn keep_an_admin(c: &Connection, before: i64) -> Result<(), StoreError> {
    if before > 0 && enabled_admins(c)? == 0 {
        return Err(StoreError::Refused("至少要保留一个已启用的管理员账号。".into()));
    }
    Ok(())
}

const STAFF_COLUMNS: &str = "SELECT id, username, display_name, password_hash, disabled, roles, organ FROM staff";

fn staff_account(r: &Row) -> rusqlite::Result<StaffAccount> {
    Ok(StaffAccount {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        password_hash: r.get(3)?,
        disabled: r.get(4)?,
        roles: stored_roles(&r.get::<_, String>(5)?),
        organ: r.get(6)?,
    })
}

fn stored_roles(text: &str) -> Roles {
    Roles::parse(text).unwrap_or_default()
}

fn add_audit(connection: &Connection, staff: &str, submission: Option<i64>, action: &str, detail: &str) -> Result<(), StoreError> {
    connection
        .execute(
            "INSERT INTO audit_log (at, staff, submission_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![chrono::Utc::now().timestamp(), staff, submission, action, detail],
        )
        .map(drop)
        .map_err(db)
}

/// Refuses a change to a case held by `holder` unless it is `organ`'s (when one is given).
fn held_by(holder: &str, organ: Option<&str>) -> Result<(), StoreError> {
    match organ {
        Some(organ) if organ != holder => Err(StoreError::Refused("此案件由其他机关承办".into())),
        _ => Ok(()),
    }
}

fn act_in(connection: &Connection, id: i64, expected_version: i64, staff: &str, action: &Action) -> Result<Submission, StoreError> {
    let row = select_one(connection, "id = ?1", &id).map_err(db)?.ok_or(StoreError::NotFound)?;
    let mut submission = row.into_submission()?;
    if submission.version != expected_version {
        return Err(StoreError::Conflict);
    }
    submission.case.apply(action).map_err(StoreError::Refused)?;
    let case = &submission.case;
    let unwritable = |e: serde_json::Error| StoreError::Failed(e.to_string());
    let third_party = serde_json::to_string(&case.clock.third_party).map_err(unwritable)?;
    let notices = serde_json::to_string(&case.notices).map_err(unwritable)?;
    connection
        .execute(
            "UPDATE submissions SET state = ?2, corrected_on = ?3, extended = ?4, correction_requested = ?5,
                 third_party = ?6, outcome = ?7, concluded_on = ?8, reply_text = ?9, notices = ?10, received_on = ?11,
                 organ = ?12, version = version + 1
             WHERE id = ?1",
            params![
                id,
                case.state.as_str(),
                case.clock.corrected_on.map(|d| d.to_string()),
                case.clock.extended,
                case.correction_requested,
                third_party,
                case.outcome.map(Outcome::as_str),
                case.concluded_on.map(|d| d.to_string()),
                case.reply_text,
                notices,
                case.clock.received_on.to_string(),
                case.organ,
            ],
        )
        .map_err(db)?;
    add_audit(connection, staff, Some(id), action.name(), &action.describe())?;
    submission.version += 1;
    Ok(submission)
}

/// The first and last day of `year`, as the database keeps dates.
fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// The `WHERE` clause of an inbox query and its bound values.
struct Filter {
    conditions: Vec<String>,
    values: Vec<rusqlite::types::Value>,
}

impl Filter {
    fn of(query: &InboxQuery) -> Self {
        let mut filter = Filter { conditions: Vec::new(), values: Vec::new() };
        if let Some(kind) = query.kind {
            filter.bind("kind = ?", kind.as_str());
        }
        if let Some(state) = query.state {
            filter.bind("state = ?", state.as_str());
        }
        if query.clock_running {
            filter.conditions.push(format!(
                "kind = '{}' AND state IN ('{}', '{}', '{}')",
                Kind::Apply.as_str(),
                State::Registered.as_str(),
                State::InProgress.as_str(),
                State::Extended.as_str()
            ));
        }
        if query.undelivered {
            filter.conditions.push(format!(
                "kind = '{}' AND state IN ('{}', '{}') AND json_extract(notices, '$.replied_as') IS NOT NULL AND json_extract(notices, '$.delivered') IS NULL",
                Kind::Apply.as_str(),
                State::Replied.as_str(),
                State::Archived.as_str()
            ));
        }
        if let Some(kiosk) = &query.kiosk {
            filter.bind("kiosk = ?", kiosk);
        }
        if let Some(organ) = &query.organ {
            filter.bind("organ = ?", organ);
        }
        if let Some(from) = query.received_from {
            filter.bind("received_on >= ?", &from.to_string());
        }
        if let Some(to) = query.received_to {
            filter.bind("received_on <= ?", &to.to_string());
        }
        let text = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Some(code) = text.and_then(QueryCode::parse) {
            // A 查询码 names one submission: found by its unique index, not by a scan.
            filter.bind("code = ?", code.as_str());
        } else if let Some(text) = text {
            let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            filter.values.push(pattern.into());
            let p = filter.values.len();
            filter.conditions.push(format!("(subject_title LIKE ?{p} ESCAPE '\\' OR fields LIKE ?{p} ESCAPE '\\')"));
        }
        filter
    }

    /// Adds `condition`, whose one `?` takes `value`.
    fn bind(&mut self, condition: &str, value: &str) {
        self.values.push(value.to_string().into());
        self.conditions.push(condition.replace('?', &format!("?{}", self.values.len())));
    }

    /// Only what comes after `cursor` in newest-first order.
    fn after(&mut self, cursor: Cursor) {
        self.values.push(cursor.submitted_at.into());
        let at = self.values.len();
        self.values.push(cursor.id.into());
        let id = self.values.len();
        self.conditions.push(format!("(submitted_at < ?{at} OR (submitted_at = ?{at} AND id < ?{id}))"));
    }

    fn sql(&self) -> String {
        if self.conditions.is_empty() { "1".to_string() } else { self.conditions.join(" AND ") }
    }
}

impl Store for SqliteStore {
    fn submit(&self, new: NewSubmission) -> Result<Receipt, StoreError> {
        self.write(move |c| insert(c, &new))
    }

    fn by_code(&self, code: &QueryCode) -> Result<Option<Submission>, StoreError> {
        let code = code.as_str().to_string();
        self.read(|c| select_one(c, "code = ?1", &code))?.map(StoredRow::into_submission).transpose()
    }

    fn by_id(&self, id: i64) -> Result<Option<Submission>, StoreError> {
        self.read(|c| select_one(c, "id = ?1", &id))?.map(StoredRow::into_submission).transpose()
    }

    fn inbox(&self, query: &InboxQuery, after: Option<Cursor>, limit: usize) -> Result<Vec<Submission>, StoreError> {
        let mut filter = Filter::of(query);
        if let Some(cursor) = after {
            filter.after(cursor);
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM submissions WHERE {} ORDER BY submitted_at DESC, id DESC LIMIT {}",
            filter.sql(),
            limit.min(i64::MAX as usize)
        );
        let rows = self.read(|c| {
            let mut statement = c.prepare(&sql)?;
            let rows = statement.query_map(rusqlite::params_from_iter(filter.values.iter()), StoredRow::read)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        rows.into_iter().map(StoredRow::into_submission).collect()
    }

    fn inbox_count(&self, query: &InboxQuery, cap: usize) -> Result<usize, StoreError> {
        let filter = Filter::of(query);
        let sql = format!("SELECT count(*) FROM (SELECT 1 FROM submissions WHERE {} LIMIT {})", filter.sql(), cap.min(i64::MAX as usize));
        let count: i64 = self.read(|c| c.query_row(&sql, rusqlite::params_from_iter(filter.values.iter()), |r| r.get(0)))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    fn case_counts(&self, organ: Option<&str>) -> Result<CaseCounts, StoreError> {
        let (states, replies) = self.read(|c| {
            let mut by_state = c.prepare("SELECT kind, state, count(*) FROM submissions WHERE ?1 IS NULL OR organ = ?1 GROUP BY kind, state")?;
            let states = by_state
                .query_map([organ], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut by_reply = c.prepare("SELECT outcome, count(*) FROM submissions WHERE outcome IS NOT NULL AND (?1 IS NULL OR organ = ?1) GROUP BY outcome")?;
            let replies = by_reply
                .query_map([organ], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((states, replies))
        })?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(CaseCounts {
            by_kind_and_state: states
                .into_iter()
                .filter_map(|(kind, state, n)| Some((Kind::parse(&kind)?, State::parse(&state)?, count(n))))
                .collect(),
            by_outcome: replies.into_iter().filter_map(|(outcome, n)| Some((Outcome::parse(&outcome)?, count(n)))).collect(),
        })
    }

    fn year_groups(&self, year: i32, organ: Option<&str>) -> Result<Vec<YearGroup>, StoreError> {
        let (first, last) = year_bounds(year);
        // Received by the year's end and not ended before it began; an open case ends NULL.
        let rows = self.read(|c| {
            c.prepare(
                "SELECT coalesce(applicant_class, 'other_organisation'), received_on >= ?1,
                        CASE WHEN concluded_on <= ?2 THEN coalesce(outcome, '') END, count(*)
                 FROM submissions
                 WHERE kind = 'apply' AND received_on <= ?2 AND (concluded_on IS NULL OR concluded_on >= ?1) AND (?3 IS NULL OR organ = ?3)
                 GROUP BY 1, 2, 3",
            )?
            .query_map(params![first, last, organ], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, i64>(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        rows.into_iter()
            .map(|(class, received_in_year, ended, cases)| {
                let bad = |what: &str| StoreError::Failed(format!("annual report {year}: unreadable {what}"));
                let ended = match ended.as_deref() {
                    None => Ended::Open,
                    Some("") => Ended::Unclassified,
                    Some(outcome) => Ended::As(Outcome::parse(outcome).ok_or_else(|| bad("outcome"))?),
                };
                let class = ApplicantClass::parse(&class).ok_or_else(|| bad("applicant class"))?;
                Ok(YearGroup { class, received_in_year, ended, cases: u64::try_from(cases).unwrap_or(0) })
            })
            .collect()
    }

    fn unclassified(&self, year: i32, organ: Option<&str>, limit: usize) -> Result<Vec<QueryCode>, StoreError> {
        let (first, last) = year_bounds(year);
        let codes = self.read(|c| {
            c.prepare(
                "SELECT code FROM submissions
                 WHERE kind = 'apply' AND outcome IS NULL AND concluded_on >= ?1 AND concluded_on <= ?2 AND (?4 IS NULL OR organ = ?4)
                 ORDER BY concluded_on, id LIMIT ?3",
            )?
            .query_map(params![first, last, limit.min(i64::MAX as usize) as i64, organ], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        codes.iter().map(|code| QueryCode::parse(code).ok_or_else(|| StoreError::Failed(format!("unreadable 查询码 {code}")))).collect()
    }

    // An application sent online and not yet 受理 has no day of receipt yet: it is not counted.
    fn applications_in_month(&self, submission: &Submission) -> Result<u32, StoreError> {
        let received_on = submission.case.clock.received_on;
        let first = received_on.with_day(1).unwrap_or(received_on);
        let identity = submission.fields.get("id_number").unwrap_or_default().trim().to_uppercase();
        let (id, organ) = (submission.id, &submission.case.organ);
        self.read(move |c| {
            c.query_row(
                "SELECT COUNT(*) FROM submissions s
                 WHERE s.kind = 'apply' AND s.organ = ?5 AND NOT (s.channel = 'online' AND s.state = 'registered') AND s.received_on >= ?1 AND (s.received_on < ?2 OR (s.received_on = ?2 AND s.id <= ?3))
                   AND EXISTS (SELECT 1 FROM json_each(s.fields) f
                               WHERE json_extract(f.value, '$.name') = 'id_number' AND upper(trim(json_extract(f.value, '$.value'))) = ?4)",
                params![first.to_string(), received_on.to_string(), id, identity, organ],
                |r| r.get(0),
            )
        })
    }

    fn add_appeal(&self, id: i64, organ: Option<&str>, kind: AppealKind, filed_on: NaiveDate, staff: &str, recorded: usize) -> Result<(), StoreError> {
        let (staff, organ) = (staff.to_string(), organ.map(str::to_string));
        self.write(move |c| {
            let submission = select_one(c, "id = ?1", &id).map_err(db)?.ok_or(StoreError::NotFound)?.into_submission()?;
            held_by(&submission.case.organ, organ.as_deref())?;
            if submission.case.kind != Kind::Apply {
                return Err(StoreError::Refused("只有政府信息公开申请才记录行政复议、行政诉讼".into()));
            }
            // 受理 may still move an online application's day of receipt, which a 复议 cannot precede.
            if submission.case.channel == Channel::Online && submission.case.state == State::Registered {
                return Err(StoreError::Refused("网上提交的申请尚未受理，收到申请的日期还未确定：请先受理（确认收到申请的日期不能晚于提起日期），再记录复议或诉讼".into()));
            }
            if filed_on < submission.case.clock.received_on {
                return Err(StoreError::Refused("提起日期不能早于收到申请的日期".into()));
            }
            let kept: Vec<(String, String)> = c
                .prepare("SELECT kind, filed_on FROM case_appeals WHERE submission_id = ?1 ORDER BY id")
                .and_then(|mut s| s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
                .map_err(db)?;
            if kept.len() != recorded {
                let resent = kept.len() == recorded + 1 && kept.last() == Some(&(kind.as_str().to_string(), filed_on.to_string()));
                return if resent { Ok(()) } else { Err(StoreError::Conflict) };
            }
            c.execute(
                "INSERT INTO case_appeals (submission_id, kind, filed_on) VALUES (?1, ?2, ?3)",
                params![id, kind.as_str(), filed_on.to_string()],
            )
            .map_err(db)?;
            add_audit(c, &staff, Some(id), "appeal", &format!("{filed_on} 提起{}", kind.label()))
        })
    }

    fn decide_appeal(&self, id: i64, organ: Option<&str>, appeal: i64, result: AppealResult, decided_on: NaiveDate, staff: &str) -> Result<(), StoreError> {
        let (staff, organ) = (staff.to_string(), organ.map(str::to_string));
        self.write(move |c| {
            let holder: String = c
                .query_row("SELECT organ FROM submissions WHERE id = ?1", [id], |r| r.get(0))
                .optional()
                .map_err(db)?
                .ok_or(StoreError::NotFound)?;
            held_by(&holder, organ.as_deref())?;
            let (kind, filed_on, decided): (String, String, Option<String>) = c
                .query_row("SELECT kind, filed_on, result FROM case_appeals WHERE id = ?1 AND submission_id = ?2", params![appeal, id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
                .map_err(db)?
                .ok_or(StoreError::NotFound)?;
            if decided.is_some() {
                return Err(StoreError::Refused("这项复议或诉讼已记录结果".into()));
            }
            if decided_on.to_string() < filed_on {
                return Err(StoreError::Refused(format!("审结日期不能早于提起日期（{filed_on}）")));
            }
            c.execute(
                "UPDATE case_appeals SET result = ?2, decided_on = ?3 WHERE id = ?1",
                params![appeal, result.as_str(), decided_on.to_string()],
            )
            .map_err(db)?;
            let kind = AppealKind::parse(&kind).map_or("复议或诉讼", AppealKind::label);
            add_audit(c, &staff, Some(id), "appeal_decided", &format!("{decided_on} {kind}审结：{}", result.label()))
        })
    }

    fn appeals(&self, id: i64) -> Result<Vec<Appeal>, StoreError> {
        let rows = self.read(|c| {
            c.prepare("SELECT id, kind, filed_on, result, decided_on FROM case_appeals WHERE submission_id = ?1 ORDER BY filed_on, id")?
                .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?, r.get::<_, Option<String>>(4)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let bad = |what: &str| StoreError::Failed(format!("submission {id}: unreadable appeal {what}"));
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad("date"));
        rows.into_iter()
            .map(|(appeal, kind, filed_on, result, decided_on)| {
                let decided = match (result, decided_on) {
                    (Some(result), Some(on)) => Some((AppealResult::parse(&result).ok_or_else(|| bad("result"))?, date(&on)?)),
                    _ => None,
                };
                Ok(Appeal { id: appeal, kind: AppealKind::parse(&kind).ok_or_else(|| bad("kind"))?, filed_on: date(&filed_on)?, decided })
            })
            .collect()
    }

    fn set_report_fee(&self, year: i32, (organ, name): (&str, &str), yuan: i64, staff: &str) -> Result<(), StoreError> {
        let (organ, name, staff) = (organ.to_string(), name.to_string(), staff.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO report_fees (year, organ, yuan) VALUES (?1, ?2, ?3) ON CONFLICT (year, organ) DO UPDATE SET yuan = excluded.yuan",
                params![year, organ, yuan],
            )
            .map_err(db)?;
            let detail = format!("年度报告 {year} 年行政事业性收费：{} 万元（{name}）", crate::reports::table::ten_thousands(yuan));
            add_audit(c, &staff, None, "report_fee", &detail)
        })
    }

    fn report_fees(&self, year: i32) -> Result<BTreeMap<String, i64>, StoreError> {
        self.read(|c| c.prepare("SELECT organ, yuan FROM report_fees WHERE year = ?1")?.query_map([year], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
    }

    fn year_appeals(&self, year: i32, organ: Option<&str>) -> Result<Vec<AppealGroup>, StoreError> {
        let (first, last) = year_bounds(year);
        // Ended after the year's end counts as 尚未审结 in its report.
        let rows = self.read(|c| {
            c.prepare(
                "SELECT a.kind, CASE WHEN a.decided_on <= ?2 THEN a.result END, count(*) FROM case_appeals a
                 JOIN submissions s ON s.id = a.submission_id
                 WHERE a.filed_on >= ?1 AND a.filed_on <= ?2 AND (?3 IS NULL OR s.organ = ?3) GROUP BY 1, 2",
            )?
            .query_map(params![first, last, organ], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let bad = |what: &str| StoreError::Failed(format!("annual report {year}: unreadable appeal {what}"));
        rows.into_iter()
            .map(|(kind, result, appeals)| {
                Ok(AppealGroup {
                    kind: AppealKind::parse(&kind).ok_or_else(|| bad("kind"))?,
                    result: result.map(|r| AppealResult::parse(&r).ok_or_else(|| bad("result"))).transpose()?,
                    appeals: u64::try_from(appeals).unwrap_or(0),
                })
            })
            .collect()
    }

    fn act(&self, id: i64, expected_version: i64, staff: &str, action: &Action) -> Result<Submission, StoreError> {
        let (staff, action) = (staff.to_string(), action.clone());
        self.write(move |c| act_in(c, id, expected_version, &staff, &action))
    }

    fn audit(&self, staff: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        let (staff, action, detail) = (staff.to_string(), action.to_string(), detail.to_string());
        self.write(move |c| add_audit(c, &staff, None, &action, &detail))
    }

    fn audit_case(&self, submission: i64, staff: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        let (staff, action, detail) = (staff.to_string(), action.to_string(), detail.to_string());
        self.write(move |c| add_audit(c, &staff, Some(submission), &action, &detail))
    }

    fn audit_log(&self, code: Option<&QueryCode>, organ: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let code = code.map(|c| c.as_str().to_string());
        self.read(|c| {
            let mut statement = c.prepare(
                "SELECT a.at, a.staff, s.code, a.action, a.detail FROM audit_log a
                 LEFT JOIN submissions s ON s.id = a.submission_id
                 WHERE (?1 IS NULL OR s.code = ?1) AND (?3 IS NULL OR s.organ = ?3) ORDER BY a.id DESC LIMIT ?2",
            )?;
            let rows = statement.query_map(params![code, limit as i64, organ], |r| {
                Ok(AuditEntry { at: r.get(0)?, staff: r.get(1)?, code: r.get(2)?, action: r.get(3)?, detail: r.get(4)? })
            })?;
            rows.collect()
        })
    }

    fn adopt_unassigned(&self, organ: &str) -> Result<u64, StoreError> {
        let organ = organ.to_string();
        self.write(move |c| {
            c.execute("UPDATE staff SET organ = ?1 WHERE organ = ''", [&organ]).map_err(db)?;
            c.execute("UPDATE submissions SET organ = ?1 WHERE organ = ''", [&organ]).map(|n| n as u64).map_err(db)
        })
    }

    fn cases_by_organ(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        self.read(|c| c.prepare("SELECT organ, count(*) FROM submissions GROUP BY organ")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
    }

    fn record_opened(&self, kiosk: &str, target: &str) -> Result<(), StoreError> {
        let (kiosk, target) = (kiosk.to_string(), target.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO links_opened (kiosk, target, count) VALUES (?1, ?2, 1)
                 ON CONFLICT (kiosk, target) DO UPDATE SET count = count + 1",
                params![kiosk, target],
            )
            .map(drop)
            .map_err(db)
        })
    }

    fn record_shown(&self, kiosk: &str, started_at: i64, counts: &BTreeMap<String, u64>) -> Result<(), StoreError> {
        let (kiosk, counts) = (kiosk.to_string(), counts.clone());
        self.write(move |c| {
            for (target, count) in &counts {
                // Counts only grow while a kiosk runs; a replayed older report cannot lower them.
                c.execute(
                    "INSERT INTO qr_shown (kiosk, started_at, target, count) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (kiosk, started_at, target) DO UPDATE SET count = max(count, excluded.count)",
                    params![kiosk, started_at, target, (*count).min(MAX_SHOWN_COUNT) as i64],
                )
                .map_err(db)?;
            }
            Ok(())
        })
    }

    fn record_plays(&self, kiosk: &str, pages: &[PagePlay], screens: &[ScreenCount]) -> Result<(), StoreError> {
        let (kiosk, pages, screens) = (kiosk.to_string(), pages.to_vec(), screens.to_vec());
        self.write(move |c| {
            for page in &pages {
                c.execute(
                    "INSERT INTO page_plays (kiosk, started_at, page, seq, seconds) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT DO NOTHING",
                    params![kiosk, page.started_at, page.page, page.seq as i64, page.seconds],
                )
                .map_err(db)?;
            }
            for screen in &screens {
                c.execute(
                    "INSERT INTO screen_counts (kiosk, hour, screen, count) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (kiosk, hour, screen) DO UPDATE SET count = max(count, excluded.count)",
                    params![kiosk, screen.hour, screen.screen, screen.count.min(MAX_SHOWN_COUNT) as i64],
                )
                .map_err(db)?;
            }
            Ok(())
        })
    }

    fn plays_by_day(&self, from: i64, to: i64, utc_offset_s: i64, kiosk: Option<&str>) -> Result<Vec<PlayDay>, StoreError> {
        let kiosk = kiosk.map(str::to_string);
        let rows: Vec<(String, String, bool, String, f64, f64)> = self.read(|c| {
            let mut statement = c.prepare(
                "SELECT date(at + ?3, 'unixepoch') AS day, kiosk, is_page, name, total(times), total(seconds) FROM (
                     SELECT kiosk, started_at AS at, 1 AS is_page, page AS name, 1 AS times, seconds FROM page_plays
                         WHERE started_at >= ?1 AND started_at < ?2
                     UNION ALL SELECT kiosk, hour, 0, screen, count, 0 FROM screen_counts
                         WHERE hour >= ?1 AND hour < ?2
                 ) WHERE ?4 IS NULL OR kiosk = ?4
                 GROUP BY day, kiosk, is_page, name ORDER BY day, kiosk, is_page DESC, name",
            )?;
            let rows = statement.query_map(params![from, to, utc_offset_s, kiosk], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?;
            rows.collect()
        })?;
        Ok(rows
            .into_iter()
            .map(|(day, kiosk, is_page, name, times, seconds)| PlayDay { day, kiosk, is_page, name, times: times as u64, seconds: seconds as u64 })
            .collect())
    }

    fn prune_plays(&self, before: i64) -> Result<u64, StoreError> {
        self.write(move |c| {
            let pages = c.execute("DELETE FROM page_plays WHERE started_at < ?1", [before]).map_err(db)?;
            let screens = c.execute("DELETE FROM screen_counts WHERE hour < ?1", [before]).map_err(db)?;
            Ok((pages + screens) as u64)
        })
    }

    fn save_kiosk_state(&self, state: &KioskState) -> Result<(), StoreError> {
        let json = serde_json::to_string(state).map_err(|e| StoreError::Failed(format!("kiosk state: {e}")))?;
        let (kiosk, revision, received_at) = (state.report.kiosk_id.clone(), state.revision as i64, state.received_at);
        self.write(move |c| {
            c.execute(
                "INSERT INTO kiosk_state (kiosk, revision, received_at, state) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (kiosk) DO UPDATE
                     SET revision = excluded.revision, received_at = excluded.received_at, state = excluded.state
                 WHERE (excluded.received_at, excluded.revision) > (kiosk_state.received_at, kiosk_state.revision)",
                params![kiosk, revision, received_at, json],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn kiosk_states(&self) -> Result<Vec<KioskState>, StoreError> {
        let rows: Vec<(String, String)> = self.read(|c| {
            let mut statement = c.prepare("SELECT kiosk, state FROM kiosk_state ORDER BY kiosk")?;
            let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })?;
        // A state this version cannot read is left out, not a reason to refuse to start.
        Ok(rows.into_iter().filter_map(|(_, json)| serde_json::from_str(&json).ok()).collect())
    }

    fn save_alert_sent(&self, channel: &str, kiosk: &str, problems: &BTreeSet<Problem>) -> Result<(), StoreError> {
        let json = serde_json::to_string(problems).map_err(|e| StoreError::Failed(format!("alert: {e}")))?;
        let (channel, kiosk) = (channel.to_string(), kiosk.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO alert_sent (channel, kiosk, problems) VALUES (?1, ?2, ?3)
                 ON CONFLICT (channel, kiosk) DO UPDATE SET problems = excluded.problems",
                params![channel, kiosk, json],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn alerts_sent(&self) -> Result<Vec<(String, String, BTreeSet<Problem>)>, StoreError> {
        let rows: Vec<(String, String, String)> = self.read(|c| {
            let mut statement = c.prepare("SELECT channel, kiosk, problems FROM alert_sent")?;
            let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        })?;
        // Problems this version does not know are dropped: at worst one alert is sent again.
        Ok(rows.into_iter().map(|(channel, kiosk, json)| (channel, kiosk, serde_json::from_str(&json).unwrap_or_default())).collect())
    }

    fn add_commands(&self, kiosks: &[String], command: &str, staff: &str, at: i64) -> Result<Vec<i64>, StoreError> {
        let (kiosks, command, staff) = (kiosks.to_vec(), command.to_string(), staff.to_string());
        self.write(move |c| {
            let mut insert = c
                .prepare("INSERT INTO kiosk_commands (kiosk, command, staff, issued_at, state, updated_at) VALUES (?1, ?2, ?3, ?4, 'waiting', ?4)")
                .map_err(db)?;
            kiosks
                .iter()
                .map(|kiosk| {
                    insert.execute(params![kiosk, command, staff, at]).map_err(db)?;
                    Ok(c.last_insert_rowid())
                })
                .collect()
        })
    }

    fn commands_sent(&self, ids: &[i64], at: i64) -> Result<(), StoreError> {
        let ids = ids.to_vec();
        self.write(move |c| {
            let mut update = c.prepare("UPDATE kiosk_commands SET state = 'sent', updated_at = ?2 WHERE id = ?1 AND state IN ('waiting', 'sent')").map_err(db)?;
            for id in ids {
                update.execute(params![id, at]).map_err(db)?;
            }
            Ok(())
        })
    }

    fn prune_commands(&self, before: i64) -> Result<u64, StoreError> {
        self.write(move |c| Ok(c.execute("DELETE FROM kiosk_commands WHERE issued_at < ?1", [before]).map_err(db)? as u64))
    }

    fn command_answered(&self, id: i64, kiosk: &str, done: bool, detail: &str, at: i64) -> Result<bool, StoreError> {
        let (kiosk, detail) = (kiosk.to_string(), detail.to_string());
        let state = if done { CommandState::Done } else { CommandState::Failed }.name();
        self.write(move |c| {
            let changed = c
                .execute(
                    "UPDATE kiosk_commands SET state = ?3, detail = ?4, updated_at = ?5
                     WHERE id = ?1 AND kiosk = ?2 AND state IN ('waiting', 'sent')",
                    params![id, kiosk, state, detail, at],
                )
                .map_err(db)?;
            Ok(changed == 1)
        })
    }

    fn commands(&self, kiosk: Option<&str>, unanswered_since: Option<i64>, limit: usize) -> Result<Vec<CommandRecord>, StoreError> {
        let rows: Vec<(i64, String, String, String, i64, String, i64, String)> = self.read(|c| {
            let mut statement = c.prepare(
                "SELECT id, kiosk, command, staff, issued_at, state, updated_at, detail FROM kiosk_commands
                 WHERE (?1 IS NULL OR kiosk = ?1) AND (?2 IS NULL OR (state IN ('waiting', 'sent') AND issued_at >= ?2))
                 ORDER BY id DESC LIMIT ?3",
            )?;
            let rows = statement.query_map(params![kiosk, unanswered_since, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
            })?;
            rows.collect()
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, kiosk, command, staff, issued_at, state, updated_at, detail)| {
                let state = CommandState::from_name(&state)?;
                Some(CommandRecord { id, kiosk, command, staff, issued_at, state, updated_at, detail })
            })
            .collect())
    }

    fn save_screenshot(&self, kiosk: &str, screenshot: Screenshot) -> Result<bool, StoreError> {
        let kiosk = kiosk.to_string();
        self.write(move |c| {
            let changed = c
                .execute(
                    "INSERT INTO kiosk_screenshots (kiosk, taken_at_ms, png) VALUES (?1, ?2, ?3)
                     ON CONFLICT (kiosk) DO UPDATE SET taken_at_ms = excluded.taken_at_ms, png = excluded.png
                     WHERE excluded.taken_at_ms > kiosk_screenshots.taken_at_ms",
                    params![kiosk, screenshot.taken_at_ms, screenshot.png],
                )
                .map_err(db)?;
            Ok(changed == 1)
        })
    }

    fn screenshot(&self, kiosk: &str) -> Result<Option<Screenshot>, StoreError> {
        self.read(|c| {
            c.query_row("SELECT taken_at_ms, png FROM kiosk_screenshots WHERE kiosk = ?1", [kiosk], |r| {
                Ok(Screenshot { taken_at_ms: r.get(0)?, png: r.get(1)? })
            })
            .optional()
        })
    }

    fn screenshot_times(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        self.read(|c| {
            let mut statement = c.prepare("SELECT kiosk, taken_at_ms FROM kiosk_screenshots")?;
            let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
    }

    fn workspace_replace(&self, items: Vec<Item>, files: Vec<StoredFile>, staff: &str, at: i64) -> Result<(), StoreError> {
        let staff = staff.to_string();
        self.write(move |c| workspace::replace_all(c, &items, &files, &staff, at).map_err(db))
    }

    fn workspace_counts(&self) -> Result<BTreeMap<ContentKind, u64>, StoreError> {
        self.read(workspace::counts)
    }

    fn workspace_list(&self, query: &WorkspaceQuery, offset: usize, limit: usize) -> Result<(Vec<WorkspaceRow>, u64), StoreError> {
        self.read(|c| workspace::list(c, query, offset, limit))
    }

    fn workspace_years(&self, kind: ContentKind) -> Result<Vec<String>, StoreError> {
        self.read(|c| workspace::years(c, kind))
    }

    fn workspace_item(&self, kind: ContentKind, id: &str) -> Result<Option<WorkspaceEntry>, StoreError> {
        self.read(|c| workspace::entry(c, kind, id))
    }

    fn workspace_all(&self) -> Result<(Vec<Item>, Vec<StoredFile>), StoreError> {
        self.read(workspace::all)
    }

    fn workspace_kind(&self, kind: ContentKind) -> Result<Vec<Item>, StoreError> {
        self.read(|c| workspace::of_kind(c, kind))
    }

    fn categorized_documents(&self) -> Result<(Vec<(String, DocumentFacts)>, usize), StoreError> {
        let rows = self.read(workspace::categorized)?;
        let total = rows.len();
        let read: Vec<(String, DocumentFacts)> = rows.into_iter().filter_map(|[issuer, category, written_on, validity, ended]| {
            let value = |text: Option<String>| text.map(serde_json::Value::String);
            let date = |text: Option<String>| text.and_then(|t| t.parse::<NaiveDate>().ok());
            let facts = DocumentFacts {
                category: serde_json::from_value(value(category)?).ok()?,
                written_on: date(written_on)?,
                validity: serde_json::from_value(value(validity)?).ok()?,
                ended_on: date(ended),
            };
            Some((issuer?, facts))
        }).collect();
        let unreadable = total - read.len();
        Ok((read, unreadable))
    }

    fn workspace_fills(&self, kind: ContentKind) -> Result<Vec<FileFill>, StoreError> {
        self.read(|c| workspace::fills(c, kind))
    }

    fn workspace_save(&self, item: Item, expected: Option<i64>, staff: &str, audit: (&str, &str)) -> Result<i64, StoreError> {
        let (staff, action, detail) = (staff.to_string(), audit.0.to_string(), audit.1.to_string());
        self.write(move |c| {
            let revision = workspace::save(c, &item, expected, &staff, chrono::Utc::now().timestamp())?;
            add_audit(c, &staff, None, &action, &detail)?;
            Ok(revision)
        })
    }

    fn workspace_delete(&self, kind: ContentKind, id: &str, expected: i64, staff: &str, audit: (&str, &str)) -> Result<(), StoreError> {
        let (id, staff, action, detail) = (id.to_string(), staff.to_string(), audit.0.to_string(), audit.1.to_string());
        self.write(move |c| {
            workspace::delete(c, kind, &id, expected)?;
            add_audit(c, &staff, None, &action, &detail)
        })
    }

    fn workspace_save_files(&self, item: Item, expected: i64, put: Vec<StoredFile>, remove: Vec<String>, staff: &str, audit: (&str, &str)) -> Result<i64, StoreError> {
        let (staff, action, detail) = (staff.to_string(), audit.0.to_string(), audit.1.to_string());
        self.write(move |c| {
            let revision = workspace::save(c, &item, Some(expected), &staff, chrono::Utc::now().timestamp())?;
            workspace::change_files(c, &put, &remove).map_err(db)?;
            add_audit(c, &staff, None, &action, &detail)?;
            Ok(revision)
        })
    }

    fn workspace_apply(&self, writes: Vec<(Item, Option<i64>)>, staff: &str, audit: (&str, &str)) -> Result<(), StoreError> {
        let (staff, action, detail) = (staff.to_string(), audit.0.to_string(), audit.1.to_string());
        self.write(move |c| {
            let at = chrono::Utc::now().timestamp();
            for (item, expected) in &writes {
                workspace::save(c, item, *expected, &staff, at)?;
            }
            add_audit(c, &staff, None, &action, &detail)
        })
    }

    fn save_upload(&self, upload: Upload) -> Result<i64, StoreError> {
        self.write(move |c| workspace::save_upload(c, &upload).map_err(db))
    }

    fn upload(&self, id: i64) -> Result<Option<Upload>, StoreError> {
        self.read(|c| workspace::upload(c, id, chrono::Utc::now().timestamp()))
    }

    fn delete_upload(&self, id: i64) -> Result<(), StoreError> {
        self.write(move |c| c.execute("DELETE FROM content_uploads WHERE id = ?1", [id]).map(drop).map_err(db))
    }

    fn workspace_editors(&self, keys: &[(ContentKind, String)]) -> Result<BTreeSet<String>, StoreError> {
        self.read(|c| workspace::editors(c, keys))
    }

    fn add_review(&self, review: NewReview, audit: (&str, &str)) -> Result<i64, StoreError> {
        let (action, detail) = (audit.0.to_string(), audit.1.to_string());
        self.write(move |c| {
            let id = reviews::add(c, &review)?;
            add_audit(c, &review.submitted_by, None, &action, &detail.replace("{id}", &id.to_string()))?;
            Ok(id)
        })
    }

    fn reviews(&self, limit: usize) -> Result<Vec<Review>, StoreError> {
        self.read(|c| reviews::latest(c, limit))
    }

    fn review(&self, id: i64) -> Result<Option<Review>, StoreError> {
        self.read(|c| reviews::one(c, id))
    }

    fn due_review(&self, now: i64) -> Result<Option<Review>, StoreError> {
        self.read(|c| reviews::due(c, now))
    }

    fn decide_review(&self, id: i64, staff: &str, decision: Decision, audit: (&str, &str)) -> Result<(), StoreError> {
        let (staff, action, detail) = (staff.to_string(), audit.0.to_string(), audit.1.to_string());
        self.write(move |c| {
            reviews::decide(c, id, &staff, &decision, chrono::Utc::now().timestamp())?;
            add_audit(c, &staff, None, &action, &detail)
        })
    }

    fn funnel(&self) -> Result<Vec<FunnelRow>, StoreError> {
        let rows: Vec<(String, f64, f64, f64)> = self.read(|c| {
            let mut statement = c.prepare(
                // total() adds as floating point: it cannot overflow as sum() can.
                "SELECT kiosk, total(shown), total(opened), total(submitted) FROM (
                     SELECT kiosk, count AS shown, 0 AS opened, 0 AS submitted FROM qr_shown
                     UNION ALL SELECT kiosk, 0, count, 0 FROM links_opened
                     UNION ALL SELECT kiosk, 0, 0, 1 FROM submissions WHERE kiosk IS NOT NULL
                 ) GROUP BY kiosk ORDER BY kiosk",
            )?;
            let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect()
        })?;
        Ok(rows
            .into_iter()
            .map(|(kiosk, shown, opened, submitted)| FunnelRow {
                kiosk,
                // `as` saturates: a float beyond u64 becomes u64::MAX, a negative one 0.
                shown: shown as u64,
                opened: opened as u64,
                submitted: submitted as u64,
            })
            .collect())
    }

    fn add_staff(&self, username: &str, display_name: &str, password_hash: &str, roles: Roles, organ: &str, by: &str) -> Result<(), StoreError> {
        let (username, display_name, hash, by) = (username.to_string(), display_name.to_string(), password_hash.to_string(), by.to_string());
        let organ = organ.to_string();
        self.write(move |c| {
            match c.execute(
                "INSERT INTO staff (username, display_name, password_hash, roles, organ) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![username, display_name, hash, roles.stored(), organ],
            ) {
                Ok(_) => {
                    let organ = if organ.is_empty() { String::new() } else { format!("，所属机关：{organ}") };
                    add_audit(c, &by, None, "staff_added", &format!("新增工作人员账号 {username}（{display_name}），角色：{roles}{organ}"))
                }
                Err(e) if is_unique_violation(&e, "username") => Err(StoreError::Exists(username.clone())),
                Err(e) => Err(db(e)),
            }
        })
    }

    fn set_roles(&self, username: &str, roles: Roles, by: &str) -> Result<(), StoreError> {
        let (username, by) = (username.to_string(), by.to_string());
        self.write(move |c| {
            let admins = enabled_admins(c)?;
            if c.execute("UPDATE staff SET roles = ?2 WHERE username = ?1", params![username, roles.stored()]).map_err(db)? == 0 {
                return Err(StoreError::NotFound);
            }
            keep_an_admin(c, admins)?;
            add_audit(c, &by, None, "staff_roles", &format!("设置角色：{username} 为 {roles}"))
        })
    }

    fn set_organ(&self, username: &str, (organ, name): (&str, &str), by: &str) -> Result<(), StoreError> {
        let (username, organ, name, by) = (username.to_string(), organ.to_string(), name.to_string(), by.to_string());
        self.write(move |c| {
            if c.execute("UPDATE staff SET organ = ?2 WHERE username = ?1", params![username, organ]).map_err(db)? == 0 {
                return Err(StoreError::NotFound);
            }
            add_audit(c, &by, None, "staff_organ", &format!("设置所属机关：{username} 属于{name}"))
        })
    }

    fn set_password(&self, username: &str, password_hash: &str, by: &str) -> Result<(), StoreError> {
        let (username, hash, by) = (username.to_string(), password_hash.to_string(), by.to_string());
        self.write(move |c| {
            let changed = c
                .execute(
                    "UPDATE staff SET password_hash = ?2 WHERE username = ?1",
                    params![username, hash],
                )
                .map_err(db)?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            // A new password ends every session of the account.
            c.execute("DELETE FROM sessions WHERE staff_id = (SELECT id FROM staff WHERE username = ?1)", [&username])
                .map_err(db)?;
            add_audit(c, &by, None, "password_set", &format!("重设 {username} 的密码"))
        })
    }

    fn set_disabled(&self, username: &str, disabled: bool, by: &str) -> Result<(), StoreError> {
        let (username, by) = (username.to_string(), by.to_string());
        self.write(move |c| {
            let admins = enabled_admins(c)?;
            let changed = c.execute("UPDATE staff SET disabled = ?2 WHERE username = ?1", params![username, disabled]).map_err(db)?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            keep_an_admin(c, admins)?;
            c.execute("DELETE FROM sessions WHERE staff_id = (SELECT id FROM staff WHERE username = ?1)", [&username])
                .map_err(db)?;
            let detail = format!("{} {username} 的账号", if disabled { "停用" } else { "启用" });
            add_audit(c, &by, None, if disabled { "staff_disabled" } else { "staff_enabled" }, &detail)
        })
    }

    fn staff(&self, username: &str) -> Result<Option<StaffAccount>, StoreError> {
        self.read(|c| c.query_row(&format!("{STAFF_COLUMNS} WHERE username = ?1"), [username], staff_account).optional())
    }

    fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError> {
        self.read(|c| c.prepare(&format!("{STAFF_COLUMNS} ORDER BY username"))?.query_map([], staff_account)?.collect())
    }

    fn login_failure(&self, username: &str, source: &str, reason: &str) -> Result<(), StoreError> {
        let (username, source, reason) = (username.to_string(), source.to_string(), reason.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO login_failures (at, username, source, reason) VALUES (?1, ?2, ?3, ?4)",
                params![chrono::Utc::now().timestamp(), username, source, reason],
            )
            .map_err(db)?;
            c.execute("DELETE FROM login_failures WHERE id <= ?1", [c.last_insert_rowid() - LOGIN_FAILURES_KEPT]).map(drop).map_err(db)
        })
    }

    fn login_failures(&self, limit: usize) -> Result<Vec<LoginFailure>, StoreError> {
        self.read(|c| {
            let mut statement = c.prepare("SELECT at, username, source, reason FROM login_failures ORDER BY id DESC LIMIT ?1")?;
            let rows = statement.query_map([limit as i64], |r| {
                Ok(LoginFailure { at: r.get(0)?, username: r.get(1)?, source: r.get(2)?, reason: r.get(3)? })
            })?;
            rows.collect()
        })
    }

    fn start_session(&self, token_hash: &str, staff_id: i64, csrf: &str, now: i64) -> Result<(), StoreError> {
        let (token_hash, csrf) = (token_hash.to_string(), csrf.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO sessions (token_hash, staff_id, csrf, created_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![token_hash, staff_id, csrf, now],
            )
            .map(drop)
            .map_err(db)
        })
    }

    fn session(&self, token_hash: &str, now: i64, idle_s: i64, lifetime_s: i64) -> Result<Option<Session>, StoreError> {
        let found = self.read(|c| {
            c.query_row(
                "SELECT s.staff_id, st.username, st.display_name, s.csrf, s.last_seen, s.created_at, st.disabled, st.roles, st.organ FROM sessions s
                 JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = ?1",
                [token_hash],
                |r| {
                    let roles = stored_roles(&r.get::<_, String>(7)?);
                    let session = Session { staff_id: r.get(0)?, username: r.get(1)?, display_name: r.get(2)?, csrf: r.get(3)?, roles, organ: r.get(8)? };
                    Ok((session, r.get::<_, i64>(4)?, r.get::<_, i64>(5)?, r.get::<_, bool>(6)?))
                },
            )
            .optional()
        })?;
        let Some((session, last_seen, created_at, disabled)) = found else { return Ok(None) };
        let token_hash = token_hash.to_string();
        if now - last_seen > idle_s || now - created_at > lifetime_s || disabled {
            self.write(move |c| c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash]).map(drop).map_err(db))?;
            return Ok(None);
        }
        // Marking use at most once a minute keeps page views from queueing behind submissions.
        if now - last_seen >= 60 {
            self.write(move |c| {
                c.execute("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1", params![token_hash, now]).map(drop).map_err(db)
            })?;
        }
        Ok(Some(session))
    }

    fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let token_hash = token_hash.to_string();
        self.write(move |c| c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash]).map(drop).map_err(db))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::submissions::form::Entry;
    use crate::roles::{Role, Roles};

    fn opinion(key: &str) -> NewSubmission {
        NewSubmission {
            key: key.into(),
            kind: Kind::Opinion,
            subject: None,
            fields: Fields(vec![Entry { name: "content".into(), label: "意见建议".into(), value: "多设座椅".into() }]),
            kiosk: Some("hall-1".into()),
            origin_note: None,
            submitted_at: 1_795_000_000,
            received_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            channel: Channel::Online,
            organ: "main".into(),
        }
    }

    #[test]
    fn an_applicants_applications_are_counted_by_calendar_month() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let apply_by = |channel: Channel, key: &str, identity: &str, received: &str| {
            let fields = Fields(vec![Entry { name: "id_number".into(), label: "身份证明号码".into(), value: identity.into() }]);
            let new = NewSubmission { kind: Kind::Apply, fields, received_on: received.parse().unwrap(), channel, ..opinion(key) };
            let id = store.submit(new).unwrap().id;
            store.by_id(id).unwrap().unwrap()
        };
        let apply = |key: &str, identity: &str, received: &str| apply_by(Channel::InPerson, key, identity, received);
        // Sent online and not yet 受理: no day of receipt yet, so not counted.
        apply_by(Channel::Online, "unconfirmed", "11010519491231002X", "2026-11-01");
        apply("last-month", "11010519491231002X", "2026-10-31");
        let first = apply("a", "11010519491231002X", "2026-11-02");
        apply("other", "310101199001011234", "2026-11-02");
        // Typed in lower case, with a space: the same person.
        let second = apply("b", " 11010519491231002x", "2026-11-20");
        let third = apply("c", "11010519491231002X", "2026-11-30");
        apply("next-month", "11010519491231002X", "2026-12-01");
        let rank = |s: &Submission| store.applications_in_month(s).unwrap();
        assert_eq!((rank(&first), rank(&second), rank(&third)), (1, 2, 3));
    }

    #[test]
    fn concurrent_submissions_are_each_stored_once_and_a_resend_returns_the_same_code() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("s.db")).unwrap());
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let store = Arc::clone(&store);
                std::thread::spawn(move || (0..50).map(|n| store.submit(opinion(&format!("{t}-{n}"))).unwrap()).collect::<Vec<_>>())
            })
            .collect();
        let receipts: Vec<Receipt> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
        let codes: std::collections::HashSet<_> = receipts.iter().map(|r| r.code.clone()).collect();
        assert_eq!(codes.len(), 400);
        assert_eq!(store.inbox_count(&InboxQuery::default(), usize::MAX).unwrap(), 400);
        let again = store.submit(opinion("3-7")).unwrap();
        assert!(again.duplicate);
        assert!(receipts.iter().any(|r| r.code == again.code && r.id == again.id));
        assert_eq!(store.inbox_count(&InboxQuery::default(), usize::MAX).unwrap(), 400);
    }

    #[test]
    fn each_organ_lists_counts_and_audits_its_own_cases() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let apply = |key: &str, organ: &str| {
            let new = NewSubmission { kind: Kind::Apply, organ: organ.into(), ..opinion(key) };
            store.submit(new).unwrap()
        };
        let (kept_before, ours, theirs) = (apply("a", ""), apply("b", "main"), apply("c", "fgj"));
        store.add_staff("old", "老账号", "hash", Roles::default(), "", "admin").unwrap();
        assert_eq!(store.adopt_unassigned("main").unwrap(), 1, "a case kept before organs goes to the receiving organ");
        assert_eq!(store.staff("old").unwrap().unwrap().organ, "main", "and so does an account");
        assert_eq!(store.by_id(kept_before.id).unwrap().unwrap().case.organ, "main");
        let of = |organ: &str| InboxQuery { organ: Some(organ.into()), ..InboxQuery::default() };
        let ids = |organ: &str| store.inbox(&of(organ), None, 10).unwrap().into_iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(ids("main"), vec![ours.id, kept_before.id]);
        assert_eq!(ids("fgj"), vec![theirs.id]);
        assert_eq!(store.cases_by_organ().unwrap(), BTreeMap::from([("fgj".to_string(), 1), ("main".to_string(), 2)]));

        let version = store.by_id(theirs.id).unwrap().unwrap().version;
        let transfer = Action::Transfer { to: "main".into(), to_name: "区政府办公室".into(), reason: "属于区政府办公室职责".into(), sent: vec!["receipt".into()] };
        let moved = store.act(theirs.id, version, "clerk", &transfer).unwrap();
        assert_eq!((moved.case.organ.as_str(), ids("fgj").len(), ids("main").len()), ("main", 0, 3));
        assert_eq!(moved.case.notices.signed_by, BTreeMap::from([("receipt".to_string(), "fgj".to_string())]), "the 回执 sent stays fgj's");
        let filed_on = moved.case.clock.received_on;
        let unconfirmed = store.add_appeal(theirs.id, None, AppealKind::Review, filed_on, "clerk", 0);
        assert!(matches!(&unconfirmed, Err(StoreError::Refused(reason)) if reason.contains("请先受理")), "the day of receipt may still move: {unconfirmed:?}");
        store.act(theirs.id, moved.version, "clerk", &Action::Accept { confirmed_on: None }).unwrap();
        let late = store.add_appeal(theirs.id, Some("fgj"), AppealKind::Review, filed_on, "clerk", 0);
        assert!(matches!(late, Err(StoreError::Refused(_))), "a 复议 recorded by the organ that handed the case on: {late:?}");
        store.add_appeal(theirs.id, Some("main"), AppealKind::Review, filed_on, "clerk", 0).unwrap();
        let appeal = store.appeals(theirs.id).unwrap()[0].id;
        let late = store.decide_appeal(theirs.id, Some("fgj"), appeal, AppealResult::Upheld, filed_on, "clerk");
        assert!(matches!(late, Err(StoreError::Refused(_))) && store.appeals(theirs.id).unwrap()[0].decided.is_none(), "{late:?}");
        store.audit("admin", "export", "导出").unwrap();
        let seen = |organ: Option<&str>| store.audit_log(None, organ, 10).unwrap().into_iter().map(|e| e.action).collect::<Vec<_>>();
        assert!(seen(Some("fgj")).is_empty(), "the case's entries go with it; those of no case are the 管理员's");
        assert_eq!(seen(Some("main")), vec!["appeal", "accept", "transfer"], "the refused appeals record nothing");
        assert_eq!(seen(None), vec!["export", "appeal", "accept", "transfer", "staff_added"]);
        store.set_report_fee(2025, ("main", "区政府办公室"), 125_000, "clerk").unwrap();
        store.set_report_fee(2025, ("main", "区政府办公室"), 130_000, "clerk").unwrap();
        store.set_report_fee(2025, ("fgj", "区发展改革局"), 1, "clerk").unwrap();
        assert_eq!(store.report_fees(2025).unwrap(), BTreeMap::from([("fgj".to_string(), 1), ("main".to_string(), 130_000)]), "entered again, replaced");
        assert!(store.report_fees(2026).unwrap().is_empty());
        let counted = |organ: Option<&str>| store.case_counts(organ).unwrap().by_kind_and_state.iter().map(|(_, _, n)| n).sum::<u64>();
        assert_eq!((counted(Some("main")), counted(Some("fgj")), counted(None)), (3, 0, 3));
        let year = |organ: Option<&str>| store.year_groups(2026, organ).unwrap().iter().map(|g| g.cases).sum::<u64>();
        assert_eq!((year(Some("main")), year(Some("fgj")), year(None)), (3, 0, 3));
    }

    #[test]
    fn the_inbox_pages_by_position_in_the_order_and_counts_up_to_a_cap() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        for n in 0..25 {
            // Pairs share a second, so the id decides between them.
            let mut form = opinion(&format!("k{n}"));
            form.submitted_at = 1_795_000_000 + n / 2;
            store.submit(form).unwrap();
        }
        let all = InboxQuery::default();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = store.inbox(&all, after, 10).unwrap();
            seen.extend(page.iter().map(|s| s.id));
            match page.last() {
                Some(last) if page.len() == 10 => after = Some(Cursor::after(last)),
                _ => break,
            }
        }
        assert_eq!(seen, (1..=25).rev().collect::<Vec<i64>>(), "every row once, newest first");
        assert_eq!(store.inbox_count(&all, usize::MAX).unwrap(), 25);
        assert_eq!(store.inbox_count(&all, 7).unwrap(), 7, "counting stops at the cap");
        let cursor = Cursor::parse("1795000005.12").unwrap();
        assert_eq!(cursor.to_string(), "1795000005.12");
        assert_eq!(store.inbox(&all, Some(cursor), 3).unwrap().iter().map(|s| s.id).collect::<Vec<_>>(), vec![11, 10, 9]);
        assert_eq!(Cursor::parse("x.1"), None);
        let counts = store.case_counts(None).unwrap();
        assert_eq!(counts.by_kind_and_state, vec![(Kind::Opinion, State::Registered, 25)]);
    }

    #[test]
    fn plays_sent_again_count_once_and_are_summed_by_local_day() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        // 2026-12-04 23:00 in UTC+8 is 15:00 UTC.
        let evening = 1_796_396_400;
        let page = |seq, at: i64, seconds| PagePlay { seq, page: "通知公告".into(), started_at: at, seconds };
        let screen = |hour: i64, count| ScreenCount { screen: "搜索".into(), hour, count };
        // Two plays in one second (a playlist of one short page) are two.
        let pages = [page(1, evening + 10, 15), page(2, evening + 10, 15), page(3, evening + 40, 25), page(4, evening + 3600 + 5, 30)];
        store.record_plays("wall-1", &pages, &[screen(evening, 3)]).unwrap();
        // A heartbeat whose answer was lost is sent again, with a count grown since.
        store.record_plays("wall-1", &pages[..3], &[screen(evening, 5), screen(evening + 3600, 1)]).unwrap();
        store.record_plays("wall-1", &[], &[screen(evening, 4)]).unwrap();
        store.record_plays("hall-2", &[page(1, evening, 60)], &[]).unwrap();
        let rows = store.plays_by_day(evening - 86_400, evening + 86_400, 8 * 3600, None).unwrap();
        let brief: Vec<_> = rows.iter().map(|r| (r.day.as_str(), r.kiosk.as_str(), r.is_page, r.times, r.seconds)).collect();
        assert_eq!(
            brief,
            [
                ("2026-12-04", "hall-2", true, 1, 60),
                ("2026-12-04", "wall-1", true, 3, 55),
                ("2026-12-04", "wall-1", false, 5, 0),
                ("2026-12-05", "wall-1", true, 1, 30),
                ("2026-12-05", "wall-1", false, 1, 0),
            ]
        );
        let one = store.plays_by_day(evening, evening + 3600, 8 * 3600, Some("hall-2")).unwrap();
        assert_eq!((one.len(), one[0].name.as_str()), (1, "通知公告"));
        // What is older than the hub keeps goes: the 4th's five rows; the 5th's two stay.
        assert_eq!(store.prune_plays(evening + 3600).unwrap(), 5);
        let kept = store.plays_by_day(evening - 86_400, evening + 86_400, 8 * 3600, None).unwrap();
        assert_eq!(kept.iter().map(|r| r.day.as_str()).collect::<Vec<_>>(), ["2026-12-05", "2026-12-05"]);
    }

    #[test]
    fn only_the_latest_failed_log_ins_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        for n in 0..(LOGIN_FAILURES_KEPT + 5) {
            store.login_failure(&format!("guess-{n}"), "10.0.0.1", "未知用户名").unwrap();
        }
        let kept: i64 = store.read(|c| c.query_row("SELECT count(*) FROM login_failures", [], |r| r.get(0))).unwrap();
        assert_eq!(kept, LOGIN_FAILURES_KEPT);
        let latest = store.login_failures(2).unwrap();
        assert_eq!(latest[0].username, format!("guess-{}", LOGIN_FAILURES_KEPT + 4));
    }

    #[test]
    fn a_first_version_database_moves_failed_log_ins_out_of_the_audit_log_and_bounds_counts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut old = Connection::open(&path).unwrap();
        let transaction = old.transaction().unwrap();
        transaction.execute_batch(MIGRATIONS[0]).unwrap();
        transaction.pragma_update(None, "user_version", 1).unwrap();
        transaction
            .execute_batch(
                "INSERT INTO staff (username, display_name, password_hash, failed_logins, locked_until) VALUES ('clerk', '王科员', 'h', 4, 99);
                 INSERT INTO audit_log (at, staff, action, detail) VALUES (1, 'clerk', 'login', '登录'), (2, 'x', 'login_failed', '未知用户名');
                 INSERT INTO qr_shown VALUES ('k', 1, 'apply', 9223372036854775807);",
            )
            .unwrap();
        transaction.commit().unwrap();
        drop(old);
        let store = SqliteStore::open(&path).unwrap();
        let audit = store.audit_log(None, None, 10).unwrap();
        assert_eq!(audit.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), vec!["login"]);
        assert_eq!(store.login_failures(10).unwrap()[0].reason, "未知用户名");
        assert!(!store.staff("clerk").unwrap().unwrap().disabled);
        assert_eq!(store.funnel().unwrap()[0].shown, MAX_SHOWN_COUNT);
    }

    #[test]
    fn the_schema_migrates_once_and_a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(SqliteStore::open(&path).unwrap());
        let reopened = SqliteStore::open(&path).unwrap();
        reopened.submit(opinion("a")).unwrap();
        drop(reopened);
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        let Err(StoreError::Failed(message)) = SqliteStore::open(&path) else { panic!("a newer schema must be refused") };
        assert!(message.contains("s.db") && message.contains("newer"), "{message}");
    }

    #[test]
    fn actions_apply_at_the_expected_version_only_and_are_audited() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let receipt = store.submit(opinion("a")).unwrap();
        let after = store.act(receipt.id, 1, "clerk", &Action::Accept { confirmed_on: None }).unwrap();
        assert_eq!((after.case.state, after.version), (State::InProgress, 2));
        assert_eq!(store.act(receipt.id, 1, "clerk", &Action::Archive), Err(StoreError::Conflict));
        let refused = store.act(receipt.id, 2, "clerk", &Action::Archive).unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "archive before a reply: {refused:?}");
        let log = store.audit_log(Some(&receipt.code), None, 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].staff.as_str(), log[0].detail.as_str()), ("clerk", "受理"));
    }

    #[test]
    fn sessions_end_when_idle_and_with_a_new_password() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        store.add_staff("clerk", "王科员", "hash", Roles::of(&[Role::Drafter]), "", "admin").unwrap();
        assert_eq!(store.add_staff("clerk", "又一个", "hash", Roles::default(), "", "admin"), Err(StoreError::Exists("clerk".into())));
        let staff = store.staff("clerk").unwrap().unwrap();
        assert_eq!(staff.roles, Roles::of(&[Role::Drafter]));
        store.start_session("t1", staff.id, "csrf", 1000).unwrap();
        assert_eq!(store.session("t1", 1500, 600, 5000).unwrap().map(|s| s.username), Some("clerk".into()));
        // New roles hold from the session's next request.
        let both = Roles::of(&[Role::Drafter, Role::Reviewer]);
        store.set_roles("clerk", both, "admin").unwrap();
        assert_eq!(store.session("t1", 1501, 600, 5000).unwrap().map(|s| s.roles), Some(both));
        assert_eq!(store.set_roles("nobody", both, "admin"), Err(StoreError::NotFound));
        assert_eq!(store.session("t1", 2200, 600, 5000).unwrap(), None, "idle for 700 s");
        store.start_session("t2", staff.id, "csrf", 1000).unwrap();
        store.set_password("clerk", "new hash", "admin").unwrap();
        assert_eq!(store.session("t2", 1001, 600, 5000).unwrap(), None);
        // However busy, a session ends at its lifetime.
        store.start_session("t3", staff.id, "csrf", 1000).unwrap();
        for now in (1000..=6000).step_by(300) {
            assert_eq!(store.session("t3", now, 600, 5000).unwrap().is_some(), now - 1000 <= 5000, "at {now}");
        }
        // Disabling the account ends its sessions and keeps it out.
        store.start_session("t4", staff.id, "csrf", 1000).unwrap();
        store.set_disabled("clerk", true, "admin").unwrap();
        assert_eq!(store.session("t4", 1001, 600, 5000).unwrap(), None);
        assert!(store.staff("clerk").unwrap().unwrap().disabled);
        assert_eq!(store.set_disabled("nobody", true, "admin"), Err(StoreError::NotFound));
    }

    #[test]
    fn the_last_enabled_admin_keeps_the_role_and_the_account() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let admin = Roles::of(&[Role::Admin]);
        store.add_staff("zhou", "周", "hash", admin, "", "运维").unwrap();
        store.add_staff("li", "李", "hash", Roles::of(&[Role::Reviewer, Role::Admin]), "", "运维").unwrap();
        store.set_roles("li", Roles::of(&[Role::Reviewer]), "zhou").unwrap();
        let last = Err(StoreError::Refused("至少要保留一个已启用的管理员账号。".into()));
        assert_eq!(store.set_roles("zhou", Roles::of(&[Role::Drafter]), "li"), last);
        assert_eq!(store.set_disabled("zhou", true, "li"), last);
        assert_eq!(store.staff("zhou").unwrap().unwrap().roles, admin, "nothing changed");
        // With another enabled 管理员, either may go.
        store.set_roles("li", admin, "zhou").unwrap();
        store.set_disabled("zhou", true, "li").unwrap();
    }

    #[test]
    fn a_kiosk_state_is_kept_across_opening_and_an_older_revision_changes_nothing() {
        use gongkai_core::fleet::KioskReport;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let state = |received_at, revision, content_version| KioskState {
            report: KioskReport { kiosk_id: "hall-1".into(), content_version, ..Default::default() },
            received_at,
            frames_moved_at: 990,
            revision,
        };
        {
            let store = SqliteStore::open(&path).unwrap();
            store.save_kiosk_state(&state(1000, 2, 42)).unwrap();
            store.save_kiosk_state(&state(1000, 1, 40)).unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.kiosk_states().unwrap(), vec![state(1000, 2, 42)]);
        store.save_kiosk_state(&state(1001, 3, 43)).unwrap();
        assert_eq!(store.kiosk_states().unwrap(), vec![state(1001, 3, 43)]);
        // Taken out of kiosks.toml and put back, its revisions start again; it is still heard.
        store.save_kiosk_state(&state(2000, 1, 44)).unwrap();
        assert_eq!(store.kiosk_states().unwrap(), vec![state(2000, 1, 44)]);
        store.save_kiosk_state(&state(1500, 9, 41)).unwrap();
        assert_eq!(store.kiosk_states().unwrap(), vec![state(2000, 1, 44)], "an older report with a higher revision");
    }

    /// The schema as it stood after migration `step`, as an older hub left it.
    fn migrate_to(transaction: &rusqlite::Transaction, step: usize) {
        for sql in &MIGRATIONS[..step] {
            transaction.execute_batch(sql).unwrap();
        }
        transaction.pragma_update(None, "user_version", step as i64).unwrap();
    }

    #[test]
    fn answers_kept_before_migration_12_take_the_report_rows_their_day_and_their_applicant_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        // 2025-12-31 16:00 UTC: 2026-01-01 in the hall's zone (UTC+8), another year's report.
        let answered_at = 1_767_196_800;
        {
            let mut connection = Connection::open(&path).unwrap();
            let transaction = connection.transaction().unwrap();
            migrate_to(&transaction, 11);
            let cases = [
                ("apply", "公民", "replied", Some("not_this_office"), Some("reply")),
                ("apply", "法人或者其他组织", "archived", Some("not_disclosed"), Some("reply")),
                ("apply", "公民", "archived", None, Some("withdraw")),
                ("apply", "公民", "in_progress", None, None),
                ("opinion", "", "replied", None, Some("reply")),
                ("apply", "公民", "replied", Some("already_public"), Some("reply")),
                ("apply", "公民", "replied", Some("other_procedure"), Some("reply")),
                ("apply", "公民", "replied", Some("repeated"), None),
            ];
            for (id, (kind, applicant, state, reply_type, action)) in cases.iter().enumerate() {
                let fields = format!(r#"[{{"name":"applicant_type","label":"申请人类型","value":"{applicant}"}}]"#);
                transaction
                    .execute(
                        "INSERT INTO submissions (id, code, idempotency_key, kind, fields, submitted_at, received_on, state, reply_type)
                         VALUES (?1, ?1, ?1, ?2, ?3, 0, '2025-12-01', ?4, ?5)",
                        params![id as i64, kind, fields, state, reply_type],
                    )
                    .unwrap();
                if let Some(action) = action {
                    transaction
                        .execute("INSERT INTO audit_log (at, staff, submission_id, action, detail) VALUES (?1, 'clerk', ?2, ?3, '')", params![answered_at, id as i64, action])
                        .unwrap();
                }
            }
            transaction.commit().unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let migrated: Vec<(Option<String>, Option<String>, Option<String>)> = store
            .read(|c| {
                c.prepare("SELECT outcome, concluded_on, applicant_class FROM submissions ORDER BY id")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .unwrap();
        let day = chrono::DateTime::from_timestamp(answered_at, 0).unwrap().with_timezone(&chrono::Local).date_naive().to_string();
        let some = |text: &str| Some(text.to_string());
        assert_eq!(
            migrated,
            vec![
                (some("not_this_organ"), some(&day), some("natural_person")),
                (None, some(&day), some("other_organisation")),
                (some("other"), some(&day), some("natural_person")),
                (None, None, some("natural_person")),
                (None, some(&day), None),
                (some("already_public"), some(&day), some("natural_person")),
                (None, some(&day), some("natural_person")),
                (some("repeated"), some("2025-12-01"), some("natural_person")),
            ],
            "old 不予公开 and 第三十六条第七项 answers wait for 年报归类; a withdrawal counts as 其他; an answer without its audit entry ends on receipt"
        );
    }

    #[test]
    fn answers_kept_before_migration_18_are_not_marked_for_delivery() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let mut connection = Connection::open(&path).unwrap();
            let transaction = connection.transaction().unwrap();
            migrate_to(&transaction, 17);
            for (id, state, notices) in [(1, "replied", r#"{"replied_as":"disclosed"}"#), (2, "in_progress", "{}")] {
                transaction
                    .execute(
                        "INSERT INTO submissions (id, code, idempotency_key, kind, fields, submitted_at, received_on, state, concluded_on, notices)
                         VALUES (?1, ?2, ?1, 'apply', '[]', 0, '2025-12-01', ?3, '2025-12-10', ?4)",
                        params![id, QueryCode::generate().unwrap().as_str(), state, notices],
                    )
                    .unwrap();
            }
            transaction.commit().unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let answered = store.by_id(1).unwrap().unwrap().case;
        use crate::submissions::workflow::{DELIVERY_UNRECORDED, Notice};
        let unrecorded = Notice { on: "2025-12-10".parse().unwrap(), text: DELIVERY_UNRECORDED.into(), until: None };
        assert_eq!(answered.notices.delivered, Some(unrecorded));
        assert!(!answered.awaiting_delivery() && !answered.available().contains(&"delivered"));
        assert_eq!(store.by_id(2).unwrap().unwrap().case.notices.delivered, None);
        let undelivered = InboxQuery { undelivered: true, ..InboxQuery::default() };
        assert_eq!(store.inbox_count(&undelivered, 10).unwrap(), 0);
    }

    #[test]
    fn cases_kept_before_migration_14_take_their_notices_from_the_audit_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let asked_at = 1_767_196_800;
        {
            let mut connection = Connection::open(&path).unwrap();
            let transaction = connection.transaction().unwrap();
            migrate_to(&transaction, 13);
            for (id, kind) in [(1, "apply"), (2, "apply"), (3, "opinion")] {
                transaction
                    .execute(
                        "INSERT INTO submissions (id, code, idempotency_key, kind, fields, submitted_at, received_on, state)
                         VALUES (?1, ?2, ?1, ?3, '[]', 0, '2025-12-01', 'in_progress')",
                        params![id, QueryCode::generate().unwrap().as_str(), kind],
                    )
                    .unwrap();
            }
            let entries = [
                ("request_correction", "告知补正：请说明所需信息的年份"),
                ("extend", "延长答复期限 20 个工作日：需调取档案"),
                ("third_party_started", "2025-12-20 起征求第三方意见：某公司"),
                ("third_party_started", "2025-12-28 起征求第三方意见：某街道：物业"),
            ];
            // The opinion's entries are not an application's notices.
            for submission in [1, 3] {
                for (action, detail) in entries {
                    transaction
                        .execute(
                            "INSERT INTO audit_log (at, staff, submission_id, action, detail) VALUES (?1, 'clerk', ?2, ?3, ?4)",
                            params![asked_at, submission, action, detail],
                        )
                        .unwrap();
                }
            }
            transaction.commit().unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let notices = |id: i64| store.by_id(id).unwrap().unwrap().case.notices;
        let day = chrono::DateTime::from_timestamp(asked_at, 0).unwrap().with_timezone(&chrono::Local).date_naive();
        let notice = |text: &str| Some(crate::submissions::workflow::Notice { on: day, text: text.into(), until: None });
        let first = notices(1);
        assert_eq!(first.correction, notice("请说明所需信息的年份"));
        assert_eq!(first.extension, notice("需调取档案"));
        assert_eq!(first.third_parties, vec!["某公司".to_string(), "某街道：物业".to_string()], "in order, the name whole");
        assert_eq!(notices(2), Default::default(), "a case with no notices has none");
        assert_eq!(notices(3), Default::default());
    }

    #[test]
    fn kiosk_states_kept_before_migration_5_take_their_time_along() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let mut connection = Connection::open(&path).unwrap();
            let transaction = connection.transaction().unwrap();
            migrate_to(&transaction, 4);
            let state = r#"{"report":{"kiosk_id":"hall-1","mode":"","content_version":7,"last_sync":"","uptime_s":0,"memory_mb":0.0,"frame_rate":0.0,"resolution":"","recent_errors":[],"sent_at":0},"received_at":1234,"frames_moved_at":1200,"revision":5}"#;
            transaction.execute("INSERT INTO kiosk_state (kiosk, revision, state) VALUES ('hall-1', 5, ?1)", [state]).unwrap();
            transaction.commit().unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let kept = store.kiosk_states().unwrap();
        assert_eq!((kept[0].received_at, kept[0].report.content_version), (1234, 7));
        let received_at: i64 = store.read(|c| c.query_row("SELECT received_at FROM kiosk_state", [], |r| r.get(0))).unwrap();
        assert_eq!(received_at, 1234, "the column is filled from the kept state");
    }
}
