//! The annual report's sections 二, 三 and 四 as an XLSX, one sheet each in the official
//! layout, merged cells and all, for the office to paste into the report it publishes.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{
    appeals::Appeals,
    applications::Applications,
    published::Published,
    table::{Cell, Value, placed},
};

pub const PUBLISHED_SHEET: &str = "主动公开政府信息情况";
pub const APPLICATIONS_SHEET: &str = "收到和处理政府信息公开申请情况";
pub const APPEALS_SHEET: &str = "行政复议行政诉讼情况";

/// The workbook: each section's title above its table.
pub fn workbook(published: &Published, applications: &Applications, appeals: &Appeals) -> Result<Vec<u8>, XlsxError> {
    let year = applications.year;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name(PUBLISHED_SHEET)?;
    write_table(sheet, &format!("{year}年度 二、主动公开政府信息情况"), &published.table())?;
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 14)?;
    let sheet = workbook.add_worksheet().set_name(APPLICATIONS_SHEET)?;
    write_table(sheet, &format!("{year}年度 三、收到和处理政府信息公开申请情况"), &applications.table())?;
    sheet.set_column_width(0, 10)?;
    sheet.set_column_width(1, 16)?;
    sheet.set_column_width(2, 36)?;
    let sheet = workbook.add_worksheet().set_name(APPEALS_SHEET)?;
    write_table(sheet, &format!("{year}年度 四、政府信息公开行政复议、行政诉讼情况"), &appeals.table())?;
    workbook.save_to_buffer()
}

/// Writes `title` in the first row and `table` below it, its cells merged as they span.
fn write_table(sheet: &mut Worksheet, title: &str, table: &[Vec<Cell>]) -> Result<(), XlsxError> {
    let boxed = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let heading = boxed.clone().set_bold().set_align(FormatAlign::Center);
    let label = boxed.clone().set_align(FormatAlign::Left);
    let count = boxed.clone().set_align(FormatAlign::Center);
    let width = table[0].iter().map(|c| c.columns).sum::<usize>() as u16;
    sheet.merge_range(0, 0, 0, width - 1, title, &Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center))?;
    for column in 0..width {
        sheet.set_column_width(column, 10)?;
    }
    for (row, column, cell) in placed(table) {
        let (row, column) = (row as u32 + 1, column as u16);
        let (last_row, last_column) = (row + cell.rows as u32 - 1, column + cell.columns as u16 - 1);
        let (text, format) = match cell.value {
            Value::Heading(text) => (text, &heading),
            Value::Label(text) => (text, &label),
            Value::Count(_) | Value::Amount(_) => {
                let (number, format) = match cell.value {
                    Value::Amount(yuan) => (yuan as f64 / 10_000.0, &count),
                    Value::Count(n) => (n as f64, &count),
                    _ => continue,
                };
                // A figure spanning columns is a merged cell with the number in its corner.
                if (row, column) != (last_row, last_column) {
                    sheet.merge_range(row, column, last_row, last_column, "", format)?;
                }
                sheet.write_number_with_format(row, column, number, format)?;
                continue;
            }
        };
        if (row, column) == (last_row, last_column) {
            sheet.write_string_with_format(row, column, text, format)?;
        } else {
            sheet.merge_range(row, column, last_row, last_column, text, format)?;
        }
    }
    Ok(())
}
