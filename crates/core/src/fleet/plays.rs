//! Proof of play: each page a wall showed (start and duration) and how often a kiosk's
//! screens were opened, by hour (counts, never visitors). Kept in a file until the hub has
//! them, so that an outage loses nothing within the bound.

use std::{
    collections::{BTreeSet, VecDeque},
    fs,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

/// One page a wall showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagePlay {
    /// Counts the pages of this log: two plays of a page in one second stay two.
    pub seq: u64,
    /// The page's title as the wall shows it.
    pub page: String,
    /// Unix seconds.
    pub started_at: i64,
    pub seconds: u32,
}

/// How often one screen was opened in one hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenCount {
    /// The screen's title as the kiosk shows it.
    pub screen: String,
    /// Unix seconds at the start of the hour.
    pub hour: i64,
    /// Opened so far in that hour: a running count, so that sending it again is harmless.
    pub count: u64,
}

/// Pages kept while the hub cannot be reached: a week of a page every 30 s.
pub const MAX_PENDING_PAGES: usize = 20_000;
/// Screen counts kept: a month of every screen, every hour.
pub const MAX_PENDING_SCREEN_COUNTS: usize = 15_000;
/// The most of each a heartbeat carries, the rest going with the next ones: with the longest
/// names and errors a report stays under the hub's 64 KB.
pub const MAX_PLAYS_PER_REPORT: usize = 150;
/// The longest page or screen title.
pub const MAX_PLAY_NAME: usize = 20;
/// The longest a page is reported on screen: a page held longer (behind an urgent notice
/// that stayed up) is reported as a day.
pub const MAX_PAGE_SECONDS: u32 = 86_400;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Pending {
    pages: VecDeque<PagePlay>,
    screens: Vec<ScreenCount>,
    /// Records dropped, oldest first, because the hub was away past the bound.
    dropped: u64,
    /// The last page's `seq`.
    #[serde(default)]
    last_seq: u64,
}

/// The records not yet taken by the hub, and the file that keeps them.
#[derive(Debug)]
pub struct PlayLog {
    path: PathBuf,
    pending: Pending,
    changed: bool,
}

impl PlayLog {
    /// The log kept in `path`. A file that cannot be read is set aside as `path.unreadable`
    /// (and named in the error), and the log starts empty: a kiosk never stops over it.
    pub fn open(path: &Path) -> (Self, Option<String>) {
        let mut log = Self { path: path.to_path_buf(), pending: Pending::default(), changed: false };
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (log, None),
            Err(e) => return (log, Some(format!("{}: {e}; proof of play starts afresh", path.display()))),
        };
        match serde_json::from_str(&text) {
            Ok(pending) => {
                log.pending = pending;
                (log, None)
            }
            Err(e) => {
                let aside = path.with_extension("unreadable");
                let _ = fs::rename(path, &aside);
                (log, Some(format!("{}: {e}; set aside as {} and proof of play starts afresh", path.display(), aside.display())))
            }
        }
    }

    pub fn page_shown(&mut self, page: &str, started_at: i64, seconds: u32) {
        self.pending.last_seq += 1;
        let seq = self.pending.last_seq;
        let pages = &mut self.pending.pages;
        pages.push_back(PagePlay { seq, page: cut(page), started_at, seconds: seconds.min(MAX_PAGE_SECONDS) });
        while pages.len() > MAX_PENDING_PAGES {
            pages.pop_front();
            self.pending.dropped += 1;
        }
        self.changed = true;
    }

    pub fn screen_opened(&mut self, screen: &str, at: i64) {
        let (screen, hour) = (cut(screen), at - at.rem_euclid(3600));
        let screens = &mut self.pending.screens;
        match screens.iter_mut().rev().find(|c| c.hour == hour && c.screen == screen) {
            Some(count) => count.count += 1,
            None => screens.push(ScreenCount { screen, hour, count: 1 }),
        }
        if screens.len() > MAX_PENDING_SCREEN_COUNTS {
            screens.remove(0);
            self.pending.dropped += 1;
        }
        self.changed = true;
    }

    /// The oldest records, as many as one heartbeat carries.
    pub fn batch(&self) -> (Vec<PagePlay>, Vec<ScreenCount>) {
        let pending = &self.pending;
        (
            pending.pages.iter().take(MAX_PLAYS_PER_REPORT).cloned().collect(),
            pending.screens.iter().take(MAX_PLAYS_PER_REPORT).cloned().collect(),
        )
    }

    pub fn dropped(&self) -> u64 {
        self.pending.dropped
    }

    /// The hub has `pages` and `screens`: they go, except a count whose hour is still running
    /// or that has grown since, which is sent again.
    pub fn delivered(&mut self, pages: &[PagePlay], screens: &[ScreenCount], now: i64) {
        let taken: BTreeSet<u64> = pages.iter().map(|p| p.seq).collect();
        self.pending.pages.retain(|p| !taken.contains(&p.seq));
        self.pending.screens.retain(|kept| !screens.iter().any(|sent| sent == kept && kept.hour + 3600 <= now));
        self.changed = true;
    }

    /// What to write, if the log changed since the last call: taken under the log's lock,
    /// written (`Unsaved::write`) outside it, so that the screen never waits on the disk.
    pub fn unsaved(&mut self) -> Option<Unsaved> {
        std::mem::take(&mut self.changed).then(|| Unsaved { path: self.path.clone(), pending: self.pending.clone() })
    }

    /// A write failed: try again at the next save.
    pub fn save_later(&mut self) {
        self.changed = true;
    }

    /// Writes the log if it changed.
    pub fn save(&mut self) -> Result<(), String> {
        self.unsaved().map_or(Ok(()), |unsaved| unsaved.write())
    }
}

/// A copy of the log to write.
pub struct Unsaved {
    path: PathBuf,
    pending: Pending,
}

impl Unsaved {
    /// Writes through a synced temporary file and a rename, so that a power cut leaves the
    /// old log or the new one.
    pub fn write(self) -> Result<(), String> {
        let json = serde_json::to_vec(&self.pending).map_err(|e| e.to_string())?;
        let temporary = self.path.with_extension("tmp");
        let written = (|| {
            if let Some(folder) = self.path.parent() {
                fs::create_dir_all(folder)?;
            }
            let mut file = fs::File::create(&temporary)?;
            std::io::Write::write_all(&mut file, &json)?;
            file.sync_all()?;
            fs::rename(&temporary, &self.path)
        })();
        written.map_err(|e| format!("{}: {e}", self.path.display()))
    }
}

fn cut(name: &str) -> String {
    name.chars().take(MAX_PLAY_NAME).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_wait_on_disk_until_the_hub_has_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plays.json");
        let (mut log, problem) = PlayLog::open(&path);
        assert_eq!(problem, None);
        log.page_shown("重点工作进度", 7200, 30);
        log.page_shown("政务公开统计", 7230, 30);
        log.screen_opened("搜索", 7200 + 10);
        log.screen_opened("搜索", 7200 + 3599);
        log.screen_opened("搜索", 7200 + 3600);
        log.save().unwrap();

        // The kiosk restarts before the hub had anything.
        let (mut log, _) = PlayLog::open(&path);
        let (pages, screens) = log.batch();
        assert_eq!(pages.len(), 2);
        assert_eq!(
            screens.iter().map(|s| (s.hour, s.count)).collect::<Vec<_>>(),
            [(7200, 2), (10800, 1)],
            "counted by hour"
        );
        // Delivered while the second hour still runs and a page is added meanwhile.
        log.page_shown("通知公告", 7260, 30);
        log.delivered(&pages, &screens, 10800 + 60);
        let (pages, screens) = log.batch();
        assert_eq!(pages.iter().map(|p| p.page.as_str()).collect::<Vec<_>>(), ["通知公告"]);
        assert_eq!(screens.len(), 1, "the running hour is sent again");
        log.screen_opened("搜索", 10800 + 120);
        log.delivered(&pages, &screens, 14400 + 1);
        assert_eq!(log.batch().1[0].count, 2, "grown since it was sent: sent again");
        log.save().unwrap();
        assert_eq!(PlayLog::open(&path).0.batch().0, Vec::<PagePlay>::new());
    }

    #[test]
    fn two_plays_of_a_page_in_one_second_are_two() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, _) = PlayLog::open(&dir.path().join("plays.json"));
        log.page_shown("通知公告", 100, 0);
        log.page_shown("通知公告", 100, 0);
        let (pages, _) = log.batch();
        assert_eq!(pages.iter().map(|p| p.seq).collect::<Vec<_>>(), [1, 2]);
        log.delivered(&pages[..1], &[], 200);
        assert_eq!(log.batch().0, pages[1..], "the one not sent stays");
    }

    #[test]
    fn past_the_bound_the_oldest_go_and_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, _) = PlayLog::open(&dir.path().join("plays.json"));
        for i in 0..MAX_PENDING_PAGES as i64 + 3 {
            log.page_shown("页", i, 1);
        }
        assert_eq!(log.dropped(), 3);
        assert_eq!(log.batch().0[0].started_at, 3);
        assert_eq!(log.batch().0.len(), MAX_PLAYS_PER_REPORT);
        log.page_shown(&"长".repeat(100), 0, 1);
        assert_eq!(log.pending.pages.back().unwrap().page.chars().count(), MAX_PLAY_NAME);
    }

    #[test]
    fn an_unreadable_log_is_set_aside_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plays.json");
        fs::write(&path, "{ not json").unwrap();
        let (mut log, problem) = PlayLog::open(&path);
        let problem = problem.unwrap();
        assert!(problem.starts_with(&format!("{}: ", path.display())) && problem.contains("set aside"), "{problem}");
        assert!(path.with_extension("unreadable").exists());
        log.screen_opened("首页", 0);
        log.save().unwrap();
        assert_eq!(PlayLog::open(&path).0.batch().1.len(), 1);
    }
}
