//! Section 四 of the annual report, 政府信息公开行政复议、行政诉讼情况: the 复议 and 诉讼
//! filed in the year against the office's handling of applications, by how each had ended by
//! the year's end, as staff recorded them on the cases.

use super::table::{Cell, Value};
use crate::submissions::appeal::{AppealGroup, AppealKind};

/// The headings under 行政诉讼 of `AppealKind::LawsuitDirect` and `LawsuitAfterReview`.
const LAWSUIT_HEADINGS: [&str; 2] = ["未经复议直接起诉", "复议后起诉"];

/// The columns of each kind: the three results, 尚未审结, 总计.
pub const RESULT_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeals {
    pub year: i32,
    /// For each kind (in `AppealKind::ALL` order), its five columns.
    pub counts: [[u64; 5]; 3],
}

impl Appeals {
    pub fn count(year: i32, groups: &[AppealGroup]) -> Self {
        let mut counts = [[0; 5]; 3];
        for group in groups {
            // `AppealKind::ALL` and `AppealResult::ALL` list them in their declared order.
            let row = &mut counts[group.kind as usize];
            row[group.result.map_or(3, |result| result as usize)] += group.appeals;
            row[4] += group.appeals;
        }
        Appeals { year, counts }
    }

    /// The table of section 四 in the official layout: 行政复议 beside 行政诉讼, whose columns
    /// are split into 未经复议直接起诉 and 复议后起诉.
    pub fn table(&self) -> Vec<Vec<Cell>> {
        let cell = |value, rows, columns| Cell { value, rows, columns };
        let results = |rows| RESULT_COLUMNS.iter().map(move |r| cell(Value::Heading(r), rows, 1));
        vec![
            vec![cell(Value::Heading(AppealKind::Review.label()), 1, 5), cell(Value::Heading("行政诉讼"), 1, 10)],
            results(2).chain(LAWSUIT_HEADINGS.map(|heading| cell(Value::Heading(heading), 1, 5))).collect(),
            results(1).chain(results(1)).collect(),
            self.counts.iter().flatten().map(|n| cell(Value::Count(*n), 1, 1)).collect(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{reports::table::covers_once, submissions::appeal::AppealResult};

    #[test]
    fn appeals_are_counted_by_kind_and_result_and_pending_ones_apart() {
        let group = |kind, result, appeals| AppealGroup { kind, result, appeals };
        let appeals = Appeals::count(
            2025,
            &[
                group(AppealKind::Review, Some(AppealResult::Corrected), 2),
                group(AppealKind::Review, None, 1),
                group(AppealKind::LawsuitAfterReview, Some(AppealResult::Upheld), 3),
            ],
        );
        assert_eq!(appeals.counts, [[0, 2, 0, 1, 3], [0; 5], [3, 0, 0, 0, 3]]);
        let table = appeals.table();
        assert!(covers_once(&table, 15));
        assert_eq!(table[3][11], Cell { value: Value::Count(0), rows: 1, columns: 1 });
    }
}
