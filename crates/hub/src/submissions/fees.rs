//! 信息处理费 under 国办函〔2020〕109号《政府信息公开信息处理费管理办法》: charged by count or
//! by pages, each progressively, and for one application by one of the two only (第三条).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::deadline::Consultation;

/// The 缴费期限 the console suggests: 20 working days, counted from the day after the notice
/// is received.
pub const PAYMENT_WORKING_DAYS: u32 = 20;

/// How a fee is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 按件计收 (第四条): by the application's place among the applicant's applications of
    /// its calendar month.
    Count,
    /// 按量计收 (第五条): by the pages the application's information comes to, when it is
    /// given on paper, by e-mail or as copied data.
    Pages,
}

impl Basis {
    pub const ALL: [Basis; 2] = [Basis::Count, Basis::Pages];

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Count => "count",
            Basis::Pages => "pages",
        }
    }

    pub fn parse(text: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Basis::Count => "按件计收",
            Basis::Pages => "按量计收",
        }
    }

    /// What was counted, briefly.
    pub fn units(self, units: u32) -> String {
        match self {
            Basis::Count => format!("当月第 {units} 件"),
            Basis::Pages => format!("{units} 页"),
        }
    }

    /// What was counted, for a sentence, of an application received on `received_on`.
    pub fn describe(self, units: u32, received_on: NaiveDate) -> String {
        match self {
            Basis::Count => format!("申请人于{}年{}月提出的第 {units} 件申请", received_on.year(), received_on.month()),
            Basis::Pages => format!("信息处理量共 {units} 页"),
        }
    }

    /// The fee in yuan for `units` counted this way.
    pub fn fee(self, units: u32) -> u32 {
        match self {
            Basis::Count => by_count(units),
            Basis::Pages => by_pages(units),
        }
    }
}

/// A 收费通知 as sent, and whether it was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeNotice {
    pub on: NaiveDate,
    pub basis: Basis,
    /// The application's place in its month, or its pages.
    pub units: u32,
    /// Yuan.
    pub amount: u32,
    /// The last day to pay (缴费期限).
    pub until: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

impl FeeNotice {
    /// The days from the notice to the payment, up to the 缴费期限: they do not count towards
    /// the answer (国办函〔2020〕109号).
    pub fn pause(&self) -> Consultation {
        Consultation { asked_on: self.on, answered_on: self.paid_on, until: Some(self.until), lapsed: false }
    }
}

/// The fee of the `nth` application of one applicant in a calendar month: the first 10 are
/// free, the 11th to 30th cost 100 yuan each, and from the 31st each further 10 cost 100 yuan
/// more each (31st–40th 200, 41st–50th 300, …).
pub fn by_count(nth: u32) -> u32 {
    match nth {
        0..=10 => 0,
        11..=30 => 100,
        _ => 100 * (2 + (nth - 31) / 10),
    }
}

/// The fee of an application whose information comes to `pages`: progressively, the first 30
/// pages free, pages 31–100 at 10 yuan, 101–200 at 20 yuan, and from the 201st 40 yuan each.
pub fn by_pages(pages: u32) -> u32 {
    let between = |from: u32, to: u32| pages.min(to).saturating_sub(from);
    10 * between(30, 100) + 20 * between(100, 200) + 40 * pages.saturating_sub(200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_count_at_every_boundary() {
        let table = [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (100, 800), (101, 900)];
        for (nth, fee) in table {
            assert_eq!(by_count(nth), fee, "the {nth}th application");
        }
    }

    #[test]
    fn by_pages_at_every_boundary() {
        // Each part at its own rate: 70 pages at 10, 100 at 20, then 40 each.
        let table = [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2_700), (201, 2_740), (250, 4_700)];
        for (pages, fee) in table {
            assert_eq!(by_pages(pages), fee, "{pages} pages");
        }
        // Fees reported for real applications: 700 + 2,000 + 40 a page beyond 200.
        assert_eq!((by_pages(754), by_pages(1_500), by_pages(2_219)), (24_860, 54_700, 83_460));
    }

    #[test]
    fn a_month_of_applications_adds_up_progressively() {
        // 35 applications in a month: 20 at 100, then 5 at 200.
        let total: u32 = (1..=35).map(by_count).sum();
        assert_eq!(total, 20 * 100 + 5 * 200);
    }

    #[test]
    fn names_round_trip() {
        for basis in Basis::ALL {
            assert_eq!(Basis::parse(basis.as_str()), Some(basis));
            assert_eq!(basis.fee(0), 0);
        }
        assert_eq!(Basis::parse("both"), None);
    }
}
