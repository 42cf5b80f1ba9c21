//! The schema, as numbered steps. A database records the last step applied in
//! `PRAGMA user_version`; on start the missing steps run in one transaction.

pub const MIGRATIONS: &[&str] = &[
    // 1: submissions, audit log, staff, sessions, funnel.
    "CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        subject_id TEXT,
        subject_title TEXT,
        fields TEXT NOT NULL,
        kiosk TEXT,
        origin_note TEXT,
        submitted_at INTEGER NOT NULL,
        received_on TEXT NOT NULL,
        state TEXT NOT NULL,
        corrected_on TEXT,
        extended INTEGER NOT NULL DEFAULT 0,
        correction_requested INTEGER NOT NULL DEFAULT 0,
        third_party TEXT NOT NULL DEFAULT '[]',
        reply_type TEXT,
        reply_text TEXT,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX submissions_by_kind_state ON submissions (kind, state, submitted_at);
    CREATE INDEX submissions_by_kiosk ON submissions (kiosk);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        staff TEXT NOT NULL,
        submission_id INTEGER REFERENCES submissions (id),
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX audit_by_submission ON audit_log (submission_id);
    CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        staff_id INTEGER NOT NULL REFERENCES staff (id),
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    );
    CREATE TABLE links_opened (
        kiosk TEXT NOT NULL,
        target TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (kiosk, target)
    );
    CREATE TABLE qr_shown (
        kiosk TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        target TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (kiosk, started_at, target)
    );",
    // 2: delays instead of account locks, disabled accounts, failed log-ins apart from the
    // audit log, bounded QR counts, and an index for the inbox's newest-first pages.
    "ALTER TABLE staff DROP COLUMN failed_logins;
    ALTER TABLE staff DROP COLUMN locked_until;
    ALTER TABLE staff ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        username TEXT NOT NULL,
        source TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    INSERT INTO login_failures (at, username, source, reason)
        SELECT at, substr(staff, 1, 64), '', detail FROM audit_log WHERE action = 'login_failed';
    DELETE FROM audit_log WHERE action = 'login_failed';
    UPDATE qr_shown SET count = min(max(count, 0), 1000000000); -- fleet::MAX_SHOWN_COUNT
    CREATE INDEX submissions_newest ON submissions (submitted_at, id);
    CREATE INDEX submissions_by_reply ON submissions (reply_type) WHERE reply_type IS NOT NULL;",
    // 3: each kiosk's latest state, so the fleet page survives a restart of the hub.
    "CREATE TABLE kiosk_state (
        kiosk TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        state TEXT NOT NULL
    );",
    // 4: what each alert channel last said of each kiosk, so a restart does not repeat it.
    "CREATE TABLE alert_sent (
        channel TEXT NOT NULL,
        kiosk TEXT NOT NULL,
        problems TEXT NOT NULL,
        PRIMARY KEY (channel, kiosk)
    );",
    // 5: a kiosk state is replaced by a later one, by when it came and then its revision:
    // revisions start again for a kiosk the hub did not restore (taken out of kiosks.toml
    // and put back).
    "ALTER TABLE kiosk_state ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0;
    UPDATE kiosk_state SET received_at = coalesce(json_extract(state, '$.received_at'), 0);",
    // 6: proof of play: each page a wall showed, and each kiosk's screens opened by hour.
    "CREATE TABLE page_plays (
        kiosk TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        page TEXT NOT NULL,
        seq INTEGER NOT NULL,
        seconds INTEGER NOT NULL,
        PRIMARY KEY (kiosk, started_at, page, seq)
    ) WITHOUT ROWID;
    CREATE INDEX page_plays_by_time ON page_plays (started_at);
    CREATE TABLE screen_counts (
        kiosk TEXT NOT NULL,
        hour INTEGER NOT NULL,
        screen TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (kiosk, hour, screen)
    ) WITHOUT ROWID;
    CREATE INDEX screen_counts_by_time ON screen_counts (hour);",
    // 7: commands sent to kiosks from the fleet page, and their answers.
    "CREATE TABLE kiosk_commands (
        id INTEGER PRIMARY KEY,
        kiosk TEXT NOT NULL,
        command TEXT NOT NULL,
        staff TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX kiosk_commands_by_kiosk ON kiosk_commands (kiosk, state, issued_at);",
    // 8: each kiosk's latest 截图 (a thumbnail PNG), for the fleet page.
    "CREATE TABLE kiosk_screenshots (
        kiosk TEXT PRIMARY KEY,
        taken_at_ms INTEGER NOT NULL,
        png BLOB NOT NULL
    );",
    // 9: the content workspace: each item's listing, its body, and the bundle's other files.
    "CREATE TABLE workspace_items (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        file TEXT NOT NULL,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        search TEXT NOT NULL,
        dated TEXT NOT NULL,
        domain TEXT NOT NULL,
        validity TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
    );
    -- Lists read this alone, in their order, filters and search included.
    CREATE INDEX workspace_items_listing ON workspace_items (kind, dated DESC, id, domain, validity, search);
    CREATE TABLE workspace_bodies (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    );
    CREATE TABLE workspace_files (
        path TEXT PRIMARY KEY,
        bytes BLOB NOT NULL
    );",
    // 10: staff roles (existing accounts keep what they could do: 起草), and the content
    // reviews (送审稿): at most one is open (waiting, or approved for a later 发布时间) at a time.
    "ALTER TABLE staff ADD COLUMN roles TEXT NOT NULL DEFAULT '起草';
    CREATE TABLE content_reviews (
        id INTEGER PRIMARY KEY,
        state TEXT NOT NULL,
        folder TEXT NOT NULL,
        submitted_by TEXT NOT NULL,
        submitted_at INTEGER NOT NULL,
        authors TEXT NOT NULL,
        base_version INTEGER NOT NULL,
        changes TEXT NOT NULL,
        report TEXT NOT NULL,
        added INTEGER NOT NULL,
        changed INTEGER NOT NULL,
        removed INTEGER NOT NULL,
        decided_by TEXT,
        decided_at INTEGER,
        reason TEXT,
        secrecy_confirmed_at INTEGER,
        publish_at INTEGER,
        version INTEGER
    );
    CREATE UNIQUE INDEX content_reviews_one_open ON content_reviews ((state IN ('pending', 'scheduled'))) WHERE state IN ('pending', 'scheduled');",
    // 11: spreadsheets uploaded for import, kept from their preview until they are applied
    // (a day at most).
    "CREATE TABLE content_uploads (
        id INTEGER PRIMARY KEY,
        staff TEXT NOT NULL,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        bytes BLOB NOT NULL,
        uploaded_at INTEGER NOT NULL
    );",
    // 12: 依申请公开 outcomes as the rows of the annual report's section 三, the day each case
    // was answered or withdrawn, and each applicant's column. An answer of the old types
    // 不予公开 and 第三十六条第七项 (which may be 行政查询 or another row) has no row until staff
    // classify it (年报归类); a withdrawal counts as 其他; an organisation whose kind was not
    // asked counts as 其他. A case ended without its audit entry is taken as ended on receipt.
    "ALTER TABLE submissions ADD COLUMN outcome TEXT;
    ALTER TABLE submissions ADD COLUMN concluded_on TEXT;
    ALTER TABLE submissions ADD COLUMN applicant_class TEXT;
    UPDATE submissions SET concluded_on = (
        SELECT date(max(at), 'unixepoch', 'localtime') FROM audit_log
        WHERE audit_log.submission_id = submissions.id AND audit_log.action IN ('reply', 'withdraw'));
    UPDATE submissions SET concluded_on = received_on
        WHERE concluded_on IS NULL AND state IN ('replied', 'archived', 'withdrawn');
    UPDATE submissions SET outcome = CASE
            WHEN reply_type IS NULL THEN 'other'
            WHEN reply_type = 'not_this_office' THEN 'not_this_organ'
            WHEN reply_type IN ('not_disclosed', 'other_procedure') THEN NULL
            ELSE reply_type END
        WHERE kind = 'apply' AND concluded_on IS NOT NULL;
    UPDATE submissions SET applicant_class = coalesce((
            SELECT CASE json_extract(value, '$.value') WHEN '公民' THEN 'natural_person' WHEN '自然人' THEN 'natural_person' END
            FROM json_each(submissions.fields) WHERE json_extract(value, '$.name') = 'applicant_type'), 'other_organisation')
        WHERE kind = 'apply';
    DROP INDEX submissions_by_reply;
    ALTER TABLE submissions DROP COLUMN reply_type;",
    // 13: 行政复议 and 行政诉讼 against the handling of an application, for section 四 of the
    // annual report; the result is NULL while pending.
    "CREATE TABLE case_appeals (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        kind TEXT NOT NULL,
        filed_on TEXT NOT NULL,
        result TEXT,
        decided_on TEXT
    );
    CREATE INDEX case_appeals_by_submission ON case_appeals (submission_id);
    CREATE INDEX case_appeals_by_filing ON case_appeals (filed_on);",
    // 14: the particulars of the 告知书 sent during a case (补正, 延期, 第三方), for its 文书;
    // earlier cases take them from their audit log, dated the day the action was recorded.
    "ALTER TABLE submissions ADD COLUMN notices TEXT NOT NULL DEFAULT '{}';
    UPDATE submissions SET notices = json_object(
        'correction', json((SELECT json_object('on', date(at, 'unixepoch', 'localtime'), 'text', substr(detail, instr(detail, '：') + 1))
            FROM audit_log WHERE submission_id = submissions.id AND action = 'request_correction' ORDER BY id DESC LIMIT 1)),
        'extension', json((SELECT json_object('on', date(at, 'unixepoch', 'localtime'), 'text', substr(detail, instr(detail, '：') + 1))
            FROM audit_log WHERE submission_id = submissions.id AND action = 'extend' ORDER BY id DESC LIMIT 1)),
        'third_parties', json((SELECT json_group_array(substr(detail, instr(detail, '：') + 1) ORDER BY id)
            FROM audit_log WHERE submission_id = submissions.id AND action = 'third_party_started')))
    WHERE kind = 'apply';",
    // 15: how each submission arrived: online (the phone forms, everything before), or
    // registered at the window as handed in or posted (窗口登记).
    "ALTER TABLE submissions ADD COLUMN channel TEXT NOT NULL DEFAULT 'online';",
    // 16: the organ that handles each case (承办机关) and the organ each account belongs to; the
    // hub gives cases kept before (organ '') to the organ that receives applications when it
    // opens, and an account with none belongs to that organ.
    "ALTER TABLE submissions ADD COLUMN organ TEXT NOT NULL DEFAULT '';
    CREATE INDEX submissions_by_organ ON submissions (organ, submitted_at, id);
    ALTER TABLE staff ADD COLUMN organ TEXT NOT NULL DEFAULT '';",
    // 17: the 行政事业性收费 each organ collected in a year, in yuan, as staff enter it for the
    // annual report's section 二.
    "CREATE TABLE report_fees (
        year INTEGER NOT NULL,
        organ TEXT NOT NULL,
        yuan INTEGER NOT NULL,
        PRIMARY KEY (year, organ)
    );",
    // 18: answers kept before 送达 was recorded are not marked 待送达: their delivery is
    // unrecorded (`workflow::DELIVERY_UNRECORDED`), dated the day they were answered.
    "UPDATE submissions SET notices = json_set(notices, '$.delivered',
        json_object('on', COALESCE(concluded_on, received_on), 'text', '启用送达记录前答复，未记录送达'))
    WHERE kind = 'apply' AND json_extract(notices, '$.replied_as') IS NOT NULL AND json_extract(notices, '$.delivered') IS NULL;",
];
