//! How much one kiosk may print: at most so many pages a job and so many a day (`[print]` in
//! its config), so that one visitor cannot empty the tray for the next. Counted in memory and
//! started afresh each day; nothing about who printed is kept.

use chrono::NaiveDate;

use crate::config::PrintSection;

/// What a visitor's 打印 will do, said on screen before anything prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintPlan {
    /// Every page: `pages`.
    All { pages: usize },
    /// The first `print` of `total` pages: the job or the day's limit is reached.
    FirstPages { print: usize, total: usize },
    /// Nothing more today.
    DayUsedUp,
}

impl PrintPlan {
    pub fn pages(self) -> usize {
        match self {
            PrintPlan::All { pages } => pages,
            PrintPlan::FirstPages { print, .. } => print,
            PrintPlan::DayUsedUp => 0,
        }
    }

    /// The line the screen shows before the visitor confirms.
    pub fn describe(self) -> String {
        match self {
            PrintPlan::All { pages } => format!("共 {pages} 页，将全部打印（A4）。"),
            PrintPlan::FirstPages { print, total } => {
                format!("共 {total} 页，本机此次最多可打印 {print} 页，将打印前 {print} 页。全文请扫码在手机上查看。")
            }
            PrintPlan::DayUsedUp => "本机今日打印已达上限，请明天再来，或扫码在手机上查看。".to_string(),
        }
    }
}

#[derive(Debug)]
pub struct PrintAllowance {
    per_job: usize,
    per_day: usize,
    day: Option<NaiveDate>,
    used_today: usize,
}

impl PrintAllowance {
    pub fn new(config: &PrintSection) -> Self {
        PrintAllowance { per_job: config.max_pages_per_job, per_day: config.pages_per_day, day: None, used_today: 0 }
    }

    /// What printing a `total`-page PDF on `today` would print.
    pub fn plan(&mut self, today: NaiveDate, total: usize) -> PrintPlan {
        self.roll(today);
        let left = self.per_day.saturating_sub(self.used_today);
        let print = total.min(self.per_job).min(left);
        match print {
            0 if total > 0 => PrintPlan::DayUsedUp,
            n if n == total => PrintPlan::All { pages: total },
            n => PrintPlan::FirstPages { print: n, total },
        }
    }

    /// Counts pages sent to the printer.
    pub fn spend(&mut self, today: NaiveDate, pages: usize) {
        self.roll(today);
        self.used_today += pages;
    }

    fn roll(&mut self, today: NaiveDate) {
        if self.day != Some(today) {
            self.day = Some(today);
            self.used_today = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn limits_per_job_and_per_day_and_a_new_day_starts_afresh() {
        let config = PrintSection { queue: "hall".into(), max_pages_per_job: 20, pages_per_day: 50 };
        let mut allowance = PrintAllowance::new(&config);
        assert_eq!(allowance.plan(day(3), 12), PrintPlan::All { pages: 12 });
        assert_eq!(allowance.plan(day(3), 35), PrintPlan::FirstPages { print: 20, total: 35 });
        allowance.spend(day(3), 20);
        allowance.spend(day(3), 20);
        assert_eq!(allowance.plan(day(3), 12), PrintPlan::FirstPages { print: 10, total: 12 });
        allowance.spend(day(3), 10);
        assert_eq!(allowance.plan(day(3), 1), PrintPlan::DayUsedUp);
        assert_eq!(allowance.plan(day(4), 1), PrintPlan::All { pages: 1 });
    }
}
