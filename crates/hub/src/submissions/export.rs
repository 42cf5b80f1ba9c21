//! The CSV export of the inbox: UTF-8 with a byte-order mark so that spreadsheet programs
//! used in offices read the Chinese correctly, and cells that a spreadsheet would run as a
//! formula are defused.

use chrono::{NaiveDate, TimeZone};

use super::{calendar::WorkCalendar, store::Submission};
use crate::organs::Organs;

const HEADER: [&str; 16] = [
    "查询码", "类型", "提交时间", "提交方式", "来源终端", "承办机关", "收到申请日期", "状态", "答复期限", "办结日期", "办理结果", "事项", "申请人或姓名", "联系电话",
    "证件号码", "内容",
];

/// The start of the file: the byte-order mark and the header row.
pub fn csv_header() -> String {
    csv_start(&HEADER)
}

/// The byte-order mark and `header`: the start of every CSV file the console gives out.
pub fn csv_start(header: &[&str]) -> String {
    let mut out = String::from("\u{FEFF}");
    push_row(&mut out, header.iter().map(|h| h.to_string()));
    out
}

/// The rows of `submissions` as CSV lines; identity numbers are masked (staff read them in
/// full on the case page, where every view is behind a log-in).
pub fn csv_rows(submissions: &[Submission], (calendar, organs): (&WorkCalendar, &Organs), today: NaiveDate) -> String {
    let mut out = String::new();
    for s in submissions {
        let submitted = chrono::Local
            .timestamp_opt(s.submitted_at, 0)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let due = s.due_on(calendar, today).map(|d| d.to_string()).unwrap_or_default();
        let content = s
            .fields
            .0
            .iter()
            .filter(|e| !matches!(e.name.as_str(), "name" | "phone" | "id_number" | "id_type"))
            .map(|e| format!("{}：{}", e.label, e.value))
            .collect::<Vec<_>>()
            .join("；");
        push_row(
            &mut out,
            [
                s.code.to_string(),
                s.case.kind.label().into(),
                submitted,
                s.case.channel.label().into(),
                s.kiosk.clone().unwrap_or_default(),
                organs.name_of(&s.case.organ),
                // The day the statutory clock counts from (条例第三十一条).
                s.case.clock.received_on.to_string(),
                s.case.state.label().into(),
                due,
                s.case.concluded_on.map(|d| d.to_string()).unwrap_or_default(),
                s.case.outcome.map(|o| o.report_row()).unwrap_or_default(),
                s.subject.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
                s.fields.get("name").unwrap_or_default().into(),
                s.fields.get("phone").unwrap_or_default().into(),
                mask_id(s.fields.get("id_number").unwrap_or_default()),
                content,
            ]
            .into_iter(),
        );
    }
    out
}

/// One CSV line, each cell quoted where needed and defused.
pub fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells.map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

fn cell(value: &str) -> String {
    // A leading = + - @ (or tab/CR) makes spreadsheets evaluate the cell; a quote defuses it.
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// Keeps the first 3 and last 2 characters: enough to tell two applicants apart.
fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let middle = "*".repeat(chars.len() - 5);
    format!("{}{middle}{}", chars[..3].iter().collect::<String>(), chars[chars.len() - 2..].iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("普通文本"), "普通文本");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("两行\n文本"), "\"两行\n文本\"");
    }

    #[test]
    fn identity_numbers_are_masked() {
        assert_eq!(mask_id("11010519491231002X"), "110*************2X");
        assert_eq!(mask_id("E123"), "****");
    }
}
