//! Rules on values: dates, numbers, 公开属性, masking of natural persons, web links.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rustc_hash::FxHashMap;

use super::{CheckOptions, Parsed, parse::Located, problem::Problems};
use crate::content::{
    bundle_files::{ADMIN_RESULTS, DISCLOSURE_STATS, SITE},
    model::{Disclosure, Document, KeyWorkStatus, NoticeLevel, PartyType, Validity},
    text_scan::is_masked_person_name,
};

/// Longest web link accepted: it has to fit a QR code a phone scans from arm's length.
const MAX_URL_LEN: usize = 200;

pub fn check(parsed: &Parsed, options: &CheckOptions, problems: &mut Problems) {
    let clock = Clock { now: options.now };
    interpretations(parsed, &clock, problems);
    key_work(parsed, &clock, problems);
    admin_results(parsed, &clock, problems);
    disclosure_stats(parsed, &clock, problems);
    consultations(parsed, &clock, problems);
    service_guides(parsed, problems);
    notices(parsed, &clock, problems);
    communities(parsed, &clock, problems);
    hot_searches(parsed, problems);
}

/// 热门搜索 a search screen can offer, each short enough to read at a glance (the chips scroll
/// when they do not fit).
const MAX_HOT_SEARCHES: usize = 12;
const MAX_HOT_SEARCH_CHARS: usize = 12;

fn hot_searches(parsed: &Parsed, problems: &mut Problems) {
    let Some(site) = &parsed.site else { return };
    if site.hot_searches.len() > MAX_HOT_SEARCHES {
        let reason = format!("{} searches; the search screen shows at most {MAX_HOT_SEARCHES}", site.hot_searches.len());
        problems.at(SITE, "$.hot_searches", reason);
    }
    // Blank ones are reported with every blank displayed text.
    for (i, search) in site.hot_searches.iter().enumerate() {
        if search.trim().chars().count() > MAX_HOT_SEARCH_CHARS {
            let reason = format!("{search:?}: a search is at most {MAX_HOT_SEARCH_CHARS} characters");
            problems.at(SITE, format!("$.hot_searches[{i}]"), reason);
        }
    }
}

/// Date rules relative to the check's clock.
struct Clock {
    now: NaiveDateTime,
}

impl Clock {
    fn today(&self) -> NaiveDate {
        self.now.date()
    }

    fn not_future(&self, date: NaiveDate, file: &str, path: String, problems: &mut Problems) {
        if date > self.today() {
            problems.at(file, path, format!("{date} is in the future (today is {})", self.today()));
        }
    }
}

/// Reports at `path` when the `later` event comes before the `earlier` one; each is a
/// value and how the message names it.
fn in_order<T: PartialOrd + std::fmt::Display>(
    (earlier, earlier_name): (T, &str),
    (later, later_name): (T, &str),
    file: &str,
    path: String,
    problems: &mut Problems,
) {
    if later < earlier {
        problems.at(file, path, format!("{later_name} {later}, before {earlier_name} ({earlier})"));
    }
}

/// The rules on each document's own values, checked as its shard is read.
pub fn documents(documents: &[Located<Document>], now: NaiveDateTime, problems: &mut Problems) {
    let clock = Clock { now };
    for d in documents {
        let doc = &d.item;
        if doc.disclosure != Disclosure::Proactive {
            problems.at(&d.file, d.field(".disclosure"), "only 主动公开 documents may be in a display bundle");
        }
        in_order((doc.written_on, "it was written"), (doc.published_on, "published"), &d.file, d.field(".published_on"), problems);
        clock.not_future(doc.published_on, &d.file, d.field(".published_on"), problems);
        if let Some(repealed_on) = doc.repealed_on {
            if doc.validity == Validity::Valid {
                problems.at(&d.file, d.field(".repealed_on"), "an end date, but the validity is 有效");
            }
            in_order((doc.written_on, "it was written"), (repealed_on, "repealed"), &d.file, d.field(".repealed_on"), problems);
            clock.not_future(repealed_on, &d.file, d.field(".repealed_on"), problems);
        }
    }
}

fn interpretations(parsed: &Parsed, clock: &Clock, problems: &mut Problems) {
    // Only the documents interpreted: a bundle may hold a million others.
    let interpreted: HashSet<&str> = parsed.interpretations.iter().map(|l| l.item.document.as_str()).collect();
    let published: FxHashMap<&str, NaiveDate> =
        parsed.shards.facts().filter(|(_, d)| interpreted.contains(&*d.id)).map(|(_, d)| (&*d.id, d.published_on)).collect();
    for l in &parsed.interpretations {
        let it = &l.item;
        if it.text.trim().is_empty() && it.qa.is_empty() && it.images.is_empty() {
            problems.at(&l.file, l.field(""), "needs text, qa or images");
        }
        clock.not_future(it.published_on, &l.file, l.field(".published_on"), problems);
        if let Some(document_date) = published.get(it.document.as_str()) {
            let path = l.field(".published_on");
            in_order((*document_date, "its document"), (it.published_on, "published"), &l.file, path, problems);
        }
    }
}

fn key_work(parsed: &Parsed, clock: &Clock, problems: &mut Problems) {
    for l in &parsed.key_work {
        let kw = &l.item;
        let path = l.field(".progress");
        if !(0.0..=100.0).contains(&kw.progress) {
            problems.at(&l.file, path, format!("{} is outside 0–100", kw.progress));
        } else if kw.status == KeyWorkStatus::Done && kw.progress < 100.0 {
            problems.at(&l.file, path, format!("status 已完成 needs progress 100, not {}", kw.progress));
        } else if kw.status == KeyWorkStatus::NotStarted && kw.progress > 0.0 {
            problems.at(&l.file, path, format!("status 未开始 needs progress 0, not {}", kw.progress));
        }
        clock.not_future(kw.updated_on, &l.file, l.field(".updated_on"), problems);
    }
}

fn admin_results(parsed: &Parsed, clock: &Clock, problems: &mut Problems) {
    let Some(admin) = &parsed.admin_results else { return };
    for (i, r) in admin.records.iter().enumerate() {
        if r.party.party_type == PartyType::NaturalPerson && !is_masked_person_name(&r.party.name) {
            problems.at(
                ADMIN_RESULTS,
                format!("$.records[{i}].party.name"),
                "a natural person must be shown masked as surname + * (e.g. 张**)",
            );
        }
        clock.not_future(r.decided_on, ADMIN_RESULTS, format!("$.records[{i}].decided_on"), problems);
    }
    let today = clock.today();
    let mut seen = HashSet::new();
    for (i, m) in admin.monthly.iter().enumerate() {
        let at = format!("$.monthly[{i}]");
        match NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d") {
            Ok(first) if m.month.len() == 7 => {
                if (first.year(), first.month()) > (today.year(), today.month()) {
                    problems.at(ADMIN_RESULTS, format!("{at}.month"), format!("{} is in the future", m.month));
                }
            }
            _ => problems.at(ADMIN_RESULTS, format!("{at}.month"), format!("{:?} is not a month YYYY-MM", m.month)),
        }
        if !seen.insert((m.department.as_str(), m.month.as_str())) {
            problems.at(ADMIN_RESULTS, at.clone(), format!("second entry for {} in {}", m.department, m.month));
        }
        for (name, rate) in [("on_time_rate", m.on_time_rate), ("satisfaction", m.satisfaction)] {
            if !(0.0..=100.0).contains(&rate) {
                problems.at(ADMIN_RESULTS, format!("{at}.{name}"), format!("{rate} is outside 0–100"));
            }
        }
    }
}

fn disclosure_stats(parsed: &Parsed, clock: &Clock, problems: &mut Problems) {
    let mut years = HashSet::new();
    for l in &parsed.disclosure_stats {
        let y = &l.item;
        if y.year > clock.today().year() {
            problems.at(DISCLOSURE_STATS, l.field(".year"), format!("{} is in the future", y.year));
        }
        if !years.insert(y.year) {
            problems.at(DISCLOSURE_STATS, l.field(".year"), format!("second entry for {}", y.year));
        }
        let available = y.requests.received + y.requests.carried_over;
        if y.requests.answered() > available {
            problems.at(
                DISCLOSURE_STATS,
                l.field(".requests.outcomes"),
                format!("{} answered, more than received + carried over ({available})", y.requests.answered()),
            );
        }
    }
}

fn consultations(parsed: &Parsed, clock: &Clock, problems: &mut Problems) {
    for l in &parsed.consultations {
        let c = &l.item;
        in_order((c.open_on, "it opens"), (c.close_on, "closes"), &l.file, l.field(".close_on"), problems);
        if c.articles.is_empty() {
            problems.at(&l.file, l.field(".articles"), "a consultation needs the draft's articles");
        }
        if let Some(feedback) = &c.feedback {
            let path = l.field(".feedback.published_on");
            let order = ((c.close_on, "the consultation closes"), (feedback.published_on, "feedback published"));
            in_order(order.0, order.1, &l.file, path.clone(), problems);
            clock.not_future(feedback.published_on, &l.file, path, problems);
            if feedback.adopted > feedback.received {
                problems.at(&l.file, l.field(".feedback.adopted"), "more opinions adopted than received");
            }
        }
    }
}

fn service_guides(parsed: &Parsed, problems: &mut Problems) {
    for l in &parsed.service_guides {
        if let Some(reason) = l.item.online_url.as_deref().and_then(bad_url) {
            problems.at(&l.file, l.field(".online_url"), reason);
        }
    }
}

fn notices(parsed: &Parsed, clock: &Clock, problems: &mut Problems) {
    for l in &parsed.notices {
        let n = &l.item;
        if n.published_at > clock.now {
            let reason = format!("{} is in the future (now is {})", n.published_at, clock.now);
            problems.at(&l.file, l.field(".published_at"), reason);
        }
        match n.expires_at {
            Some(end) if end <= n.published_at => problems.at(
                &l.file,
                l.field(".expires_at"),
                format!("expires {end}, not after it is published ({})", n.published_at),
            ),
            None if n.level == NoticeLevel::Urgent => problems.at(
                &l.file,
                l.field(".expires_at"),
                "a 紧急 notice takes over the screens and needs expires_at",
            ),
            _ => {}
        }
    }
}

fn communities(parsed: &Parsed, clock: &Clock, problems: &mut Problems) {
    for l in &parsed.communities {
        let mut periods: HashMap<&str, usize> = HashMap::new();
        for (i, report) in l.item.finance.iter().enumerate() {
            // A period is one report: staff edit and import its lines by their period.
            let first = *periods.entry(report.period.as_str()).or_insert(i);
            if first != i {
                let reason = format!("period {:?} has a report already (finance[{first}]); a period is one report", report.period);
                problems.at(&l.file, l.field(&format!(".finance[{i}].period")), reason);
            }
            if report.lines.is_empty() {
                problems.at(&l.file, l.field(&format!(".finance[{i}].lines")), format!("the report of {:?} has no lines", report.period));
            }
            for (j, line) in report.lines.iter().enumerate() {
                if !line.amount.is_finite() || line.amount < 0.0 {
                    problems.at(
                        &l.file,
                        l.field(&format!(".finance[{i}].lines[{j}].amount")),
                        format!("{} is not an amount of yuan ≥ 0", line.amount),
                    );
                }
            }
        }
        for (kind, posts) in [("benefits", &l.item.benefits), ("affairs", &l.item.affairs)] {
            for (i, post) in posts.iter().enumerate() {
                let path = l.field(&format!(".{kind}[{i}].published_on"));
                clock.not_future(post.published_on, &l.file, path, problems);
            }
        }
    }
}

fn bad_url(url: &str) -> Option<String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Some(format!("{url:?} is not an http(s) address"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("{url:?} contains spaces or control characters"));
    }
    if url.len() > MAX_URL_LEN {
        return Some(format!("address is {} bytes; at most {MAX_URL_LEN} fit a scannable QR code", url.len()));
    }
    None
}
