//! The XLSX template of a kind that staff download: the header row and one example row on
//! each data sheet (choices as drop-down lists, dates as dates), and a last sheet that says
//! what each column takes and lists the site's departments, domains or communities by name.

use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Workbook, XlsxError};

use super::{
    cells::Lookups,
    columns::{Column, Form, Import},
};
use gongkai_core::content::workspace::Kind;

/// What the example row's key begins with: an import leaves such a row out, so a template
/// filled in below its example imports only what staff wrote.
pub const EXAMPLE_MARK: &str = "示例";

/// Rows the drop-down lists and date formats cover below the header.
const FILLED_ROWS: u32 = 10_000;

/// The template's file name, e.g. `重点工作-导入模板.xlsx`.
pub fn file_name(kind: Kind) -> String {
    format!("{}-导入模板.xlsx", kind.label())
}

pub fn template(import: Import, lookups: &Lookups) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DDEBF7");
    let sheets = import.sheets();
    for (name, columns) in &sheets {
        data_sheet(&mut workbook, name, columns, lookups, &header)?;
    }
    let notes = workbook.add_worksheet();
    notes.set_name("填写说明")?;
    notes.set_column_width(0, 18)?;
    notes.set_column_width(1, 10)?;
    notes.set_column_width(2, 60)?;
    let mut row = 0;
    for (name, columns) in &sheets {
        if sheets.len() > 1 {
            notes.write_string_with_format(row, 0, format!("工作表“{name}”"), &header)?;
            row += 1;
        }
        for (at, label) in ["列名", "必填", "填写要求"].iter().enumerate() {
            notes.write_string_with_format(row, at as u16, *label, &header)?;
        }
        for column in columns {
            row += 1;
            notes.write_string(row, 0, column.label)?;
            notes.write_string(row, 1, if column.required { "是" } else { "否" })?;
            notes.write_string(row, 2, requirement(column.form))?;
        }
        row += 2;
    }
    let uses = |forms: &[Form]| sheets.iter().flat_map(|(_, columns)| columns).any(|c| forms.contains(&c.form));
    let lists = [
        ("部门（填写全称）", &lookups.departments, uses(&[Form::Department, Form::Departments])),
        ("所属领域（填写名称）", &lookups.domains, uses(&[Form::Domain])),
        ("社区（村）（填写名称）", &lookups.communities, uses(&[Form::Community])),
    ];
    for (heading, names, used) in lists {
        if !used {
            continue;
        }
        notes.write_string_with_format(row, 0, heading, &header)?;
        notes.write_string_with_format(row, 1, "编号", &header)?;
        for (id, name) in names {
            row += 1;
            notes.write_string(row, 0, name)?;
            notes.write_string(row, 1, id)?;
        }
        row += 2;
    }
    let sheets_said = if sheets.len() > 1 { "前几个工作表" } else { "第一个工作表" };
    notes.write_string(row, 0, format!("说明：{sheets_said}中每行一条，第 2 行是示例（第一列以“示例”开头的行不会导入）；{}；表格中没有的内容保持不变，导入不会删除内容。导入前先显示预览，确认后才写入。", import.matching()))?;
    workbook.save_to_buffer()
}

/// A sheet of the template: the header row and the example row.
fn data_sheet(workbook: &mut Workbook, name: &str, columns: &[&Column], lookups: &Lookups, header: &Format) -> Result<(), XlsxError> {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrapped = Format::new().set_text_wrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    sheet.set_freeze_panes(1, 0)?;
    for (at, column) in columns.iter().enumerate() {
        let at = at as u16;
        sheet.write_string_with_format(0, at, column.label, header)?;
        sheet.set_column_width(at, if matches!(column.form, Form::Text | Form::Lines | Form::Materials) { 28 } else { 14 })?;
        let first = |list: &[(String, String)]| list.first().map_or(String::new(), |(_, name)| name.clone());
        let example = match column.form {
            Form::Department | Form::Departments => first(&lookups.departments),
            Form::Domain => first(&lookups.domains),
            Form::Community => first(&lookups.communities),
            _ => column.example.to_string(),
        };
        let example = if at == 0 { format!("{EXAMPLE_MARK}：{example}") } else { example };
        let example = example.as_str();
        match column.form {
            Form::Date => {
                sheet.set_column_format(at, &date)?;
                if let [year, month, day] = example.split('-').map(|p| p.parse::<u16>().unwrap_or(1)).collect::<Vec<_>>()[..] {
                    sheet.write_date_with_format(1, at, ExcelDateTime::from_ymd(year, month as u8, day as u8)?, &date)?;
                }
            }
            Form::Number | Form::Count if !example.is_empty() => {
                sheet.write_number(1, at, example.parse::<f64>().unwrap_or_default())?;
            }
            Form::Lines | Form::Materials => {
                sheet.write_string_with_format(1, at, example, &wrapped)?;
            }
            _ if !example.is_empty() => {
                sheet.write_string(1, at, example)?;
            }
            _ => {}
        }
        if let Form::Choice(choices) = column.form {
            let list = DataValidation::new().allow_list_strings(choices)?.set_error_message(format!("请填 {}", choices.join("、")))?;
            sheet.add_data_validation(1, at, FILLED_ROWS, at, &list)?;
        }
    }
    Ok(())
}

fn requirement(form: Form) -> String {
    match form {
        Form::Text => "文字".into(),
        Form::Key => "小写字母、数字或连字符（会写进二维码链接）".into(),
        Form::Number => "数字，可带 %".into(),
        Form::Count => "件数，非负整数；没有可不填".into(),
        Form::Date => "日期，如 2026-11-30".into(),
        Form::DateTime => "日期和时间，如 2026-12-01 09:00".into(),
        Form::Month => "月份，如 2026-11".into(),
        Form::Choice(choices) => format!("从下拉列表中选择：{}", choices.join("、")),
        Form::Department => "部门全称（同名的填编号），见下方部门列表".into(),
        Form::Departments => "一个或几个部门全称，用“、”分隔".into(),
        Form::Domain => "公开目录的领域名称，见下方领域列表".into(),
        Form::Community => "社区或村的名称（同名的填编号），见下方社区（村）列表".into(),
        Form::Lines => "每项一行（单元格内按 Alt+Enter 换行）".into(),
        Form::Materials => "每种材料一行，写成“材料名称：份数”，如 居民身份证：原件1份".into(),
    }
}
