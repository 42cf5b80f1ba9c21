//! Section 三 of the annual report (国办公开办函〔2021〕30号), 收到和处理政府信息公开申请情况,
//! counted from the hub's cases: applications received in the year and carried in, how those
//! that ended in the year ended, by row, and those carried on into the next year, for each
//! column of applicants. Its balance (一 + 二 = 三（七）+ 四, per column) is checked.

use super::table::{Cell, Value};
use crate::submissions::{
    applicant::ApplicantClass,
    outcome::{Outcome, Section},
    store::{Ended, YearGroup},
};

/// The applicant columns, then 总计.
pub const COLUMNS: usize = ApplicantClass::ALL.len() + 1;
pub type Counts = [u64; COLUMNS];

/// The heading of column `column`.
pub fn column_label(column: usize) -> &'static str {
    ApplicantClass::ALL.get(column).map_or("总计", |class| class.label())
}

/// One row of 三、本年度办理结果: its group, and the numbered line within it (the group's
/// own label for a group counted in one row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub section: Section,
    pub line: &'static str,
    pub counts: Counts,
}

impl ResultRow {
    /// A group counted in one row, such as （一）予以公开.
    pub fn is_whole_group(&self) -> bool {
        self.line == self.section.label()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applications {
    pub year: i32,
    /// 一、本年新收.
    pub received: Counts,
    /// 二、上年结转.
    pub carried_in: Counts,
    /// 三 （一）–（六）, in the report's order.
    pub results: Vec<ResultRow>,
    /// 三 （七）总计.
    pub concluded: Counts,
    /// 四、结转下年度继续办理.
    pub carried_out: Counts,
    /// Answered in the year without an outcome (answers kept before outcomes were): they
    /// break the balance until staff classify them.
    pub unclassified: Counts,
}

/// A column whose balance does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    pub column: usize,
    /// 一 + 二.
    pub came: u64,
    /// 三（七）+ 四.
    pub went: u64,
}

impl Applications {
    pub fn count(year: i32, groups: &[YearGroup]) -> Self {
        let mut results: Vec<ResultRow> = Vec::new();
        for outcome in Outcome::ALL {
            let (section, line) = (outcome.section(), outcome.row_label());
            if !results.iter().any(|r| r.section == section && r.line == line) {
                results.push(ResultRow { section, line, counts: [0; COLUMNS] });
            }
        }
        let mut report = Applications {
            year,
            received: [0; COLUMNS],
            carried_in: [0; COLUMNS],
            results,
            concluded: [0; COLUMNS],
            carried_out: [0; COLUMNS],
            unclassified: [0; COLUMNS],
        };
        for group in groups {
            // `ApplicantClass::ALL` lists the classes in their declared order.
            let column = group.class as usize;
            let came = if group.received_in_year { &mut report.received } else { &mut report.carried_in };
            add(came, column, group.cases);
            match group.ended {
                Ended::Open => add(&mut report.carried_out, column, group.cases),
                Ended::Unclassified => add(&mut report.unclassified, column, group.cases),
                Ended::As(outcome) => {
                    let line = outcome.row_label();
                    if let Some(row) = report.results.iter_mut().find(|r| r.line == line) {
                        add(&mut row.counts, column, group.cases);
                    }
                    add(&mut report.concluded, column, group.cases);
                }
            }
        }
        report
    }

    /// The columns where 一 + 二 ≠ 三（七）+ 四.
    pub fn breaks(&self) -> Vec<Break> {
        (0..COLUMNS)
            .map(|column| Break {
                column,
                came: self.received[column] + self.carried_in[column],
                went: self.concluded[column] + self.carried_out[column],
            })
            .filter(|b| b.came != b.went)
            .collect()
    }
}

/// The note in the table's corner, as the official layout prints it.
pub const BALANCE_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

impl Applications {
    /// The table of section 三 in the official layout: three rows of headings, then a row
    /// for each figure.
    pub fn table(&self) -> Vec<Vec<Cell>> {
        let cell = |value, rows, columns| Cell { value, rows, columns };
        let heading = |text| cell(Value::Heading(text), 1, 1);
        let organisations = ApplicantClass::ALL.len() - 1;
        let mut table = vec![
            vec![cell(Value::Heading(BALANCE_NOTE), 3, 3), cell(Value::Heading("申请人情况"), 1, COLUMNS)],
            vec![cell(Value::Heading(column_label(0)), 2, 1), cell(Value::Heading("法人或其他组织"), 1, organisations), cell(Value::Heading(column_label(COLUMNS - 1)), 2, 1)],
            (1..=organisations).map(|column| heading(column_label(column))).collect(),
        ];
        let figures = |label: Vec<Cell>, counts: &Counts| -> Vec<Cell> {
            label.into_iter().chain(counts.iter().map(|n| cell(Value::Count(*n), 1, 1))).collect()
        };
        table.push(figures(vec![cell(Value::Label("一、本年新收政府信息公开申请数量"), 1, 3)], &self.received));
        table.push(figures(vec![cell(Value::Label("二、上年结转政府信息公开申请数量"), 1, 3)], &self.carried_in));
        let result_rows = self.results.len() + 1;
        for (i, row) in self.results.iter().enumerate() {
            let mut label = Vec::new();
            if i == 0 {
                label.push(cell(Value::Label("三、本年度办理结果"), result_rows, 1));
            }
            if row.is_whole_group() {
                label.push(cell(Value::Label(row.line), 1, 2));
            } else {
                if i == 0 || self.results[i - 1].section != row.section {
                    let lines = self.results.iter().filter(|r| r.section == row.section).count();
                    label.push(cell(Value::Label(row.section.label()), lines, 1));
                }
                label.push(cell(Value::Label(row.line), 1, 1));
            }
            table.push(figures(label, &row.counts));
        }
        table.push(figures(vec![cell(Value::Label("（七）总计"), 1, 2)], &self.concluded));
        table.push(figures(vec![cell(Value::Label("四、结转下年度继续办理"), 1, 3)], &self.carried_out));
        table
    }
}

fn add(counts: &mut Counts, column: usize, cases: u64) {
    counts[column] += cases;
    counts[COLUMNS - 1] += cases;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::table::covers_once;

    fn group(class: ApplicantClass, received_in_year: bool, ended: Ended, cases: u64) -> YearGroup {
        YearGroup { class, received_in_year, ended, cases }
    }

    #[test]
    fn rows_follow_the_report_and_two_outcomes_of_one_row_add_up() {
        let report = Applications::count(
            2025,
            &[
                group(ApplicantClass::NaturalPerson, true, Ended::As(Outcome::NotHeld), 2),
                group(ApplicantClass::NaturalPerson, false, Ended::As(Outcome::NotThisOrgan), 1),
                group(ApplicantClass::LegalServices, true, Ended::Open, 4),
            ],
        );
        assert_eq!(report.results.len(), 21);
        assert_eq!(report.results[0].line, "（一）予以公开");
        assert!(report.results[0].is_whole_group() && !report.results[2].is_whole_group());
        let not_held = report.results.iter().find(|r| r.line == "1.本机关不掌握相关政府信息").unwrap();
        assert_eq!(not_held.counts, [3, 0, 0, 0, 0, 0, 3]);
        assert_eq!((report.received[6], report.carried_in[0], report.carried_out[4]), (6, 1, 4));
        assert_eq!(report.breaks(), vec![]);
    }

    #[test]
    fn the_table_spans_its_cells_as_the_official_layout_merges_them() {
        let report = Applications::count(2025, &[group(ApplicantClass::Research, true, Ended::As(Outcome::Repeated), 5)]);
        let table = report.table();
        assert_eq!(table.len(), 3 + 2 + 21 + 1 + 1);
        assert!(covers_once(&table, 3 + COLUMNS));
        let repeated = table.iter().find(|row| row.iter().any(|c| c.value == Value::Label("2.重复申请"))).unwrap();
        let counts: Vec<Value> = repeated.iter().rev().take(7).rev().map(|c| c.value).collect();
        assert_eq!(counts, [0, 0, 5, 0, 0, 0, 5].map(Value::Count));
        assert_eq!(table[0][0], Cell { value: Value::Heading(BALANCE_NOTE), rows: 3, columns: 3 });
    }

    #[test]
    fn an_answer_without_an_outcome_breaks_its_column_and_the_total() {
        let report = Applications::count(2025, &[group(ApplicantClass::Business, true, Ended::Unclassified, 2)]);
        assert_eq!(report.unclassified[1], 2);
        assert_eq!(report.breaks(), vec![Break { column: 1, came: 2, went: 0 }, Break { column: 6, came: 2, went: 0 }]);
        assert_eq!((column_label(1), column_label(6)), ("商业企业", "总计"));
    }
}
