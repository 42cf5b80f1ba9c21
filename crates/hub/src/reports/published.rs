//! Section 二 of the annual report, 主动公开政府信息情况 (条例第二十条第（一）（五）（六）（八）项):
//! the 规章 and 行政规范性文件 made, repealed and in force, from the content's documents; the
//! year's 行政许可, 行政处罚 and 行政强制 decisions, from the 行政权力 monthly figures; and the
//! 行政事业性收费 collected, as staff enter it.

use chrono::{Datelike, NaiveDate};

use gongkai_core::content::model::{AdminKind, Category, DepartmentMonth, Validity};

use super::table::{Cell, Value};

/// The 行政权力 whose decisions the section counts, in its order.
const DECISIONS: [(AdminKind, &str); 3] = [(AdminKind::Licensing, "行政许可"), (AdminKind::Penalty, "行政处罚"), (AdminKind::Enforcement, "行政强制")];

/// What section 二 counts of a document with a 文件类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentFacts {
    pub category: Category,
    pub written_on: NaiveDate,
    pub validity: Validity,
    /// The day a document 废止 or 失效 ended (`repealed_on`).
    pub ended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub year: i32,
    /// By `Category::ALL`: made in the year (by 成文日期), repealed in it, in force at its end.
    pub documents: [[u64; 3]; 2],
    /// By `DECISIONS`: the decisions made in the year.
    pub decisions: [u64; 3],
    /// 行政事业性收费 collected in the year, in yuan.
    pub fees_yuan: i64,
}

impl Published {
    pub fn count<'a>(
        year: i32,
        documents: impl IntoIterator<Item = &'a DocumentFacts>,
        monthly: impl IntoIterator<Item = &'a DepartmentMonth>,
        fees_yuan: i64,
    ) -> Self {
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let mut counted = Published { year, documents: [[0; 3]; 2], decisions: [0; 3], fees_yuan };
        for document in documents {
            let Some(row) = Category::ALL.iter().position(|k| *k == document.category) else { continue };
            let counts = &mut counted.documents[row];
            counts[0] += u64::from(document.written_on.year() == year);
            let repealed = document.validity == Validity::Repealed && document.ended_on.is_some_and(|on| on.year() == year);
            counts[1] += u64::from(repealed);
            counts[2] += u64::from(in_force_at(document, end));
        }
        let prefix = format!("{year:04}-");
        for month in monthly.into_iter().filter(|m| m.month.starts_with(&prefix)) {
            for (n, (kind, _)) in DECISIONS.iter().enumerate() {
                counted.decisions[n] += u64::from(month.counts.get(kind).copied().unwrap_or(0));
            }
        }
        counted
    }

    /// The section's tables in the official layout, one below the other, four columns wide.
    pub fn table(&self) -> Vec<Vec<Cell>> {
        let cell = |value, columns| Cell { value, rows: 1, columns };
        let item = cell(Value::Heading("信息内容"), 1);
        let mut rows = vec![
            vec![cell(Value::Heading("第二十条第（一）项"), 4)],
            vec![item, cell(Value::Heading("本年制发件数"), 1), cell(Value::Heading("本年废止件数"), 1), cell(Value::Heading("现行有效件数"), 1)],
        ];
        for (category, counts) in Category::ALL.iter().zip(&self.documents) {
            rows.push(std::iter::once(cell(Value::Label(category.label()), 1)).chain(counts.iter().map(|n| cell(Value::Count(*n), 1))).collect());
        }
        let decisions = |item_no: &'static str, range: std::ops::Range<usize>| {
            let mut rows = vec![vec![cell(Value::Heading(item_no), 4)], vec![item, cell(Value::Heading("本年处理决定数量"), 3)]];
            rows.extend(range.map(|n| vec![cell(Value::Label(DECISIONS[n].1), 1), cell(Value::Count(self.decisions[n]), 3)]));
            rows
        };
        rows.extend(decisions("第二十条第（五）项", 0..1));
        rows.extend(decisions("第二十条第（六）项", 1..3));
        rows.push(vec![cell(Value::Heading("第二十条第（八）项"), 4)]);
        rows.push(vec![item, cell(Value::Heading("本年收费金额（单位：万元）"), 3)]);
        rows.push(vec![cell(Value::Label("行政事业性收费"), 1), cell(Value::Amount(self.fees_yuan), 3)]);
        rows
    }
}

/// Whether `document` was in force on `day`: written by then and not yet ended. One 失效 or
/// 废止 without the day it ended is taken as ended.
fn in_force_at(document: &DocumentFacts, day: NaiveDate) -> bool {
    document.written_on <= day && (document.validity == Validity::Valid || document.ended_on.is_some_and(|on| on > day))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::reports::table::covers_once;
    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn document(category: Category, written: &str, validity: Validity, ended: Option<&str>) -> DocumentFacts {
        DocumentFacts { category, written_on: day(written), validity, ended_on: ended.map(day) }
    }

    #[test]
    fn documents_are_counted_as_made_repealed_and_in_force_at_the_years_end() {
        use Category::{NormativeDocument as Normative, Rule};
        let documents = [
            document(Normative, "2025-01-01", Validity::Valid, None),
            document(Normative, "2025-12-31", Validity::Repealed, Some("2026-01-05")),
            document(Normative, "2024-12-31", Validity::Repealed, Some("2025-12-31")),
            document(Normative, "2020-06-01", Validity::Expired, None),
            document(Normative, "2020-06-01", Validity::Expired, Some("2025-06-30")),
            document(Normative, "2020-06-01", Validity::Expired, Some("2026-02-01")),
            document(Normative, "2026-01-01", Validity::Valid, None),
            document(Rule, "2019-03-01", Validity::Valid, None),
            document(Rule, "2018-03-01", Validity::Repealed, None),
        ];
        let counted = Published::count(2025, &documents, [], 0);
        // 规章: none made or repealed (one without its day), one in force. 规范性文件: two made in
        // 2025, one repealed on its last day (one 失效 in it is no repeal), three in force at its
        // end (one repealed later, one 失效 later).
        assert_eq!(counted.documents, [[0, 0, 1], [2, 1, 3]]);
    }

    #[test]
    fn decisions_are_the_years_months_and_the_table_covers_its_grid() {
        let month = |month: &str, counts: &[(AdminKind, u32)]| DepartmentMonth {
            department: "scjgj".into(),
            month: month.into(),
            counts: counts.iter().copied().collect::<BTreeMap<_, _>>(),
            on_time_rate: 100.0,
            satisfaction: 100.0,
        };
        let monthly = [
            month("2025-01", &[(AdminKind::Licensing, 3), (AdminKind::Penalty, 2)]),
            month("2025-12", &[(AdminKind::Enforcement, 1), (AdminKind::Reward, 9)]),
            month("2026-01", &[(AdminKind::Licensing, 50)]),
            month("2024-12", &[(AdminKind::Penalty, 50)]),
        ];
        let counted = Published::count(2025, [], &monthly, 125_000);
        assert_eq!(counted.decisions, [3, 2, 1]);
        let table = counted.table();
        assert!(covers_once(&table, 4));
        assert_eq!(table.last().unwrap()[1], Cell { value: Value::Amount(125_000), rows: 1, columns: 3 });
    }
}
