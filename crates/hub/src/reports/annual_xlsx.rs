//! The annual report's section 三 as an XLSX in the official layout, merged cells and all,
//! for the office to paste into the report it publishes.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::annual::{Applications, Value, placed};

/// The workbook: one sheet, the title above the table.
pub fn workbook(report: &Applications) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("收到和处理政府信息公开申请情况")?;
    let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let boxed = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let heading = boxed.clone().set_bold().set_align(FormatAlign::Center);
    let label = boxed.clone().set_align(FormatAlign::Left);
    let count = boxed.clone().set_align(FormatAlign::Center);
    let table = report.table();
    let width = table[0].iter().map(|c| c.columns).sum::<usize>() as u16;
    sheet.merge_range(0, 0, 0, width - 1, &format!("{}年度 三、收到和处理政府信息公开申请情况", report.year), &title)?;
    for (row, column, cell) in placed(&table) {
        let (row, column) = (row as u32 + 1, column as u16);
        let (last_row, last_column) = (row + cell.rows as u32 - 1, column + cell.columns as u16 - 1);
        let (text, format) = match cell.value {
            Value::Heading(text) => (text.to_string(), &heading),
            Value::Label(text) => (text.to_string(), &label),
            Value::Count(n) => {
                sheet.write_number_with_format(row, column, n as f64, &count)?;
                continue;
            }
        };
        if (row, column) == (last_row, last_column) {
            sheet.write_string_with_format(row, column, &text, format)?;
        } else {
            sheet.merge_range(row, column, last_row, last_column, &text, format)?;
        }
    }
    sheet.set_column_width(0, 10)?;
    sheet.set_column_width(1, 16)?;
    sheet.set_column_width(2, 36)?;
    for column in 3..width {
        sheet.set_column_width(column, 10)?;
    }
    workbook.save_to_buffer()
}
