//! A cell's value as a field wants it: text trimmed, numbers and dates read however Excel or
//! a person wrote them (a date cell, a serial number, `2024/3/5`, `2024年3月5日`; full-width
//! digits; `85%`), a department by its name or id. Each refusal says why, in Chinese.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::Value;

use super::{columns::Form, sheet::Cell};

/// What names in cells are looked up in: the site's departments, the catalogue's domains and
/// the communities of 居(村)务公开, each as (id, name).
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    pub departments: Vec<(String, String)>,
    pub domains: Vec<(String, String)>,
    pub communities: Vec<(String, String)>,
}

/// The field value of `cell` in a column of `form`; `None` when the cell is empty.
pub fn value(form: Form, cell: &Cell, lookups: &Lookups) -> Result<Option<Value>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Uncalculated => return Err("公式没有计算结果（文件不是用 Excel 保存的），请在 Excel 中打开、保存后再导入".into()),
        Cell::Error(e) => return Err(format!("单元格是错误值 {e}，请改正公式或填入数值")),
        Cell::Text(text) => text.trim_matches(|c: char| c.is_whitespace()).replace("\r\n", "\n"),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Cell::DateTime(at) => at.date().to_string(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let value = match form {
        Form::Text => Value::from(text),
        Form::Key => Value::from(half_width(&text).replace(' ', "")),
        Form::Number => Value::from(json_number(number(cell, &text)?)),
        Form::Count => {
            let n = number(cell, &text)?;
            if n < 0.0 || n.fract() != 0.0 || n > u32::MAX as f64 {
                return Err(format!("“{text}”不是件数，请填非负整数"));
            }
            Value::from(n as u64)
        }
        Form::Date => Value::from(date(cell, &text)?.to_string()),
        Form::DateTime => Value::from(date_time(cell, &text)?.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Form::Month => {
            // 202611 typed as a number is the month written without a separator.
            let typed_month = matches!(cell, Cell::Number(n) if (190_001.0..=299_912.0).contains(n));
            let first = if typed_month { month(&format!("{}/{}", &text[..4], &text[4..])) } else { date(cell, &text).or_else(|_| month(&text)) };
            Value::from(first?.format("%Y-%m").to_string())
        }
        Form::Choice(choices) => {
            let plain = half_width(&text).replace(' ', "");
            match choices.iter().find(|choice| **choice == plain) {
                Some(choice) => Value::from(*choice),
                None => return Err(format!("“{text}”不是可选的值，请填 {}", choices.join("、"))),
            }
        }
        Form::Department => Value::from(named(&text, &lookups.departments, "站点信息中没有部门", "部门全称")?),
        Form::Departments => {
            let names = text.split([',', '，', '、', ';', '；', '\n']).map(str::trim).filter(|name| !name.is_empty());
            Value::from(names.map(|name| named(name, &lookups.departments, "站点信息中没有部门", "部门全称")).collect::<Result<Vec<_>, _>>()?)
        }
        Form::Domain => Value::from(named(&text, &lookups.domains, "公开目录中没有领域", "领域名称")?),
        Form::Community => Value::from(named(&text, &lookups.communities, "居(村)务公开中没有社区（村）", "社区（村）名称")?),
        Form::Lines => Value::from(lines(&text).collect::<Vec<_>>()),
        Form::Materials => {
            let material = |line: &str| match line.rsplit_once(['：', ':']) {
                Some((name, copies)) if !name.trim().is_empty() && !copies.trim().is_empty() => Ok(serde_json::json!({"name": name.trim(), "copies": copies.trim()})),
                _ => Err(format!("“{line}”：每行写一种材料，格式为“材料名称：份数”，如 居民身份证：原件1份")),
            };
            Value::from(lines(&text).map(material).collect::<Result<Vec<_>, _>>()?)
        }
    };
    Ok(Some(value))
}

/// A field's value as staff read it in the preview: text as it is, a department or domain by
/// name.
pub fn shown(form: Form, value: Option<&Value>, lookups: &Lookups) -> String {
    let name_in = |list: &[(String, String)], id: &str| list.iter().find(|(known, _)| known == id).map_or(id.to_string(), |(_, name)| name.clone());
    let name = |id: &str| name_in(&lookups.departments, id);
    match (form, value) {
        (_, None | Some(Value::Null)) => "（空）".into(),
        (Form::Department, Some(Value::String(id))) => name(id),
        (Form::Domain, Some(Value::String(id))) => name_in(&lookups.domains, id),
        (Form::Community, Some(Value::String(id))) => name_in(&lookups.communities, id),
        (Form::Departments, Some(Value::Array(ids))) if ids.is_empty() => "（空）".into(),
        (Form::Departments, Some(Value::Array(ids))) => ids.iter().filter_map(Value::as_str).map(name).collect::<Vec<_>>().join("、"),
        (Form::Lines, Some(Value::Array(lines))) => lines.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("；"),
        (Form::Materials, Some(Value::Array(materials))) => materials.iter().map(material).collect::<Vec<_>>().join("；"),
        (_, Some(Value::String(text))) => text.clone(),
        // 2718.0 as the workspace keeps an amount is 2718 to staff.
        (_, Some(Value::Number(n))) => n.as_f64().map_or_else(|| n.to_string(), number_text),
        (_, Some(other)) => other.to_string(),
    }
}

/// A field's value as a form's field holds it, to be read back by `value`: departments and
/// domains by name, lists one a line, a date-time as a browser's date-time field takes it.
pub fn as_text(form: Form, value: Option<&Value>, lookups: &Lookups) -> String {
    match (form, value) {
        (_, None | Some(Value::Null)) => String::new(),
        // Chosen from a list by id, so that two of the same name stay apart.
        (Form::Department | Form::Domain | Form::Community, Some(Value::String(id))) => id.clone(),
        (Form::Departments, Some(Value::Array(ids))) if ids.is_empty() => String::new(),
        (Form::Lines, Some(Value::Array(lines))) => lines.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n"),
        (Form::Materials, Some(Value::Array(materials))) => materials.iter().map(material).collect::<Vec<_>>().join("\n"),
        // A browser's date-time field takes seconds too; whole minutes are shown without.
        (Form::DateTime, Some(Value::String(at))) => at.strip_suffix(":00").filter(|minute| minute.len() == 16).unwrap_or(at).to_string(),
        _ => shown(form, value, lookups),
    }
}

/// A material as staff write it: `名称：份数`.
fn material(item: &Value) -> String {
    let text = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    format!("{}：{}", text("name"), text("copies"))
}

/// The lines of a cell, trimmed, without empty ones.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|line| line.trim_matches(|c: char| c.is_whitespace())).filter(|line| !line.is_empty())
}

/// Full-width letters, digits and signs as their ASCII selves; the ideographic space as a space.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            other => other,
        })
        .collect()
}

/// A number as a person would type it: whole numbers without a decimal point.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

/// The same number in JSON: an integer when it is whole, so 78 stays 78.
fn json_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 { Value::from(n as i64) } else { Value::from(n) }
}

fn number(cell: &Cell, text: &str) -> Result<f64, String> {
    if let Cell::Number(n) = cell {
        return Ok(*n);
    }
    let plain: String = half_width(text).chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    let plain = plain.strip_suffix('%').unwrap_or(&plain);
    plain.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| format!("“{text}”不是数字"))
}

/// A date from Excel's serial number in its 1900 date system, which counts a 29 February 1900
/// that never was (serial 60): serial 1 is 1900-01-01, serial 61 is 1900-03-01.
fn from_serial(serial: f64) -> Option<NaiveDate> {
    let day = serial.floor() as i64;
    let days_after_1899_12_30 = match day {
        1..=59 => day + 1,
        61..=2_958_465 => day,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|zero| zero + Duration::days(days_after_1899_12_30))
}

fn date(cell: &Cell, text: &str) -> Result<NaiveDate, String> {
    let refused = || format!("“{text}”不是日期，请写成 2024-03-05 这样的格式");
    match cell {
        Cell::DateTime(at) => return Ok(at.date()),
        // 20240305 typed as a number is the day written without separators.
        Cell::Number(n) if (19_000_101.0..=29_991_231.0).contains(n) => return NaiveDate::parse_from_str(&number_text(*n), "%Y%m%d").map_err(|_| refused()),
        Cell::Number(serial) => return from_serial(*serial).ok_or_else(refused),
        _ => {}
    }
    let plain: String = half_width(text).chars().filter(|c| !c.is_whitespace()).collect();
    let plain = plain.split(['T']).next().unwrap_or_default();
    let parts: Vec<&str> = plain.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => y.parse().ok().zip(m.parse().ok()).zip(d.parse().ok()).and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d)),
        [digits] if digits.len() == 8 => NaiveDate::parse_from_str(digits, "%Y%m%d").ok(),
        _ => None,
    }
    .ok_or_else(refused)
}

/// A date and time: a date-time cell, or `2026-12-01 09:00`, `2026/12/1 9:00`, the
/// `2026-12-01T09:00` a browser's date-time field sends.
fn date_time(cell: &Cell, text: &str) -> Result<NaiveDateTime, String> {
    if let Cell::DateTime(at) = cell {
        return Ok(*at);
    }
    let refused = || format!("“{text}”不是日期和时间，请写成 2026-12-01 09:00 这样的格式");
    let plain = half_width(text);
    let (day, time) = plain.trim().split_once(['T', ' ']).ok_or_else(refused)?;
    let date = date(&Cell::Text(day.into()), day).map_err(|_| refused())?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(time.trim(), "%H:%M")).map_err(|_| refused())?;
    Ok(date.and_time(time))
}

fn month(text: &str) -> Result<NaiveDate, String> {
    let plain: String = half_width(text).chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = plain.split(['-', '/', '.', '年', '月']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m] if y.len() == 4 => y.parse().ok().zip(m.parse().ok()).and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1)),
        _ => None,
    }
    .ok_or_else(|| format!("“{text}”不是月份，请写成 2024-03 这样的格式"))
}

/// The id of a department or domain from its name (as staff write it) or its id.
fn named(text: &str, known: &[(String, String)], unknown: &str, write: &str) -> Result<String, String> {
    let plain = text.trim();
    if let Some((id, _)) = known.iter().find(|(id, _)| id == plain || *id == half_width(plain)) {
        return Ok(id.clone());
    }
    // Two of one name (a 和平村 in two townships) are told apart by their 编号.
    let same_name: Vec<&str> = known.iter().filter(|(_, name)| name == plain).map(|(id, _)| id.as_str()).collect();
    match same_name[..] {
        [id] => Ok(id.to_string()),
        [] => Err(format!("{unknown}“{text}”，请填写{write}（见模板的“填写说明”）")),
        _ => Err(format!("有 {} 个名为“{text}”的，请改填编号：{}", same_name.len(), same_name.join("、"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_two_share_is_refused_and_their_ids_are_offered() {
        let lookups = Lookups { communities: vec![("hpc-a".into(), "和平村".into()), ("hpc-b".into(), "和平村".into()), ("qf".into(), "清风社区".into())], ..Lookups::default() };
        assert_eq!(value(Form::Community, &Cell::Text("清风社区".into()), &lookups), Ok(Some("qf".into())));
        assert_eq!(value(Form::Community, &Cell::Text("hpc-b".into()), &lookups), Ok(Some("hpc-b".into())));
        assert_eq!(value(Form::Community, &Cell::Text("和平村".into()), &lookups), Err("有 2 个名为“和平村”的，请改填编号：hpc-a、hpc-b".into()));
    }

    fn lookups() -> Lookups {
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(id, name)| (id.to_string(), name.to_string())).collect();
        Lookups { departments: pairs(&[("fgw", "区发展和改革委员会"), ("tjj", "区统计局")]), domains: pairs(&[("d01", "城乡规划")]), communities: Vec::new() }
    }

    fn read(form: Form, cell: Cell) -> Result<Option<Value>, String> {
        value(form, &cell, &lookups())
    }

    #[test]
    fn dates_are_read_from_date_cells_serial_numbers_and_the_ways_people_write_them() {
        let day = Some(Value::from("2024-03-05"));
        let at = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(read(Form::Date, Cell::DateTime(at)).unwrap(), day);
        assert_eq!(read(Form::Date, Cell::Number(45356.0)).unwrap(), day, "Excel's serial number of 2024-03-05");
        for text in ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "２０２４－０３－０５", " 20240305 "] {
            assert_eq!(read(Form::Date, Cell::Text(text.into())).unwrap(), day, "{text}");
        }
        assert!(read(Form::Date, Cell::Text("3月5日".into())).unwrap_err().contains("不是日期"));
        assert!(read(Form::Date, Cell::Text("2024-02-30".into())).is_err());
        assert_eq!(read(Form::Month, Cell::Text("2025年12月".into())).unwrap(), Some(Value::from("2025-12")));
        assert_eq!(read(Form::Month, Cell::Number(45356.0)).unwrap(), Some(Value::from("2024-03")));
        assert_eq!(read(Form::Month, Cell::Number(202611.0)).unwrap(), Some(Value::from("2026-11")));
        assert_eq!(read(Form::Date, Cell::Number(20240305.0)).unwrap(), day, "the day typed as a number");
        let serials = [(1.0, "1900-01-01"), (59.0, "1900-02-28"), (61.0, "1900-03-01"), (45356.0, "2024-03-05")];
        for (serial, expected) in serials {
            assert_eq!(read(Form::Date, Cell::Number(serial)).unwrap(), Some(Value::from(expected)), "serial {serial}");
        }
        assert!(read(Form::Date, Cell::Number(60.0)).is_err(), "1900-02-29 never was");
        let at = Some(Value::from("2026-12-01T09:00:00"));
        for text in ["2026-12-01 09:00", "2026/12/1 9:00", "2026-12-01T09:00", "2026年12月1日 09:00:00"] {
            assert_eq!(read(Form::DateTime, Cell::Text(text.into())).unwrap(), at, "{text}");
        }
        assert!(read(Form::DateTime, Cell::Text("2026-12-01".into())).unwrap_err().contains("不是日期和时间"));
        assert_eq!(as_text(Form::DateTime, at.as_ref(), &lookups()), "2026-12-01T09:00");
    }

    #[test]
    fn numbers_take_full_width_digits_percent_signs_and_stay_whole_when_whole() {
        assert_eq!(read(Form::Number, Cell::Text("７８％".into())).unwrap(), Some(Value::from(78)));
        assert_eq!(read(Form::Number, Cell::Number(98.6)).unwrap(), Some(Value::from(98.6)));
        assert_eq!(read(Form::Count, Cell::Text("1,024".into())).unwrap(), Some(Value::from(1024)));
        assert!(read(Form::Count, Cell::Number(2.5)).unwrap_err().contains("非负整数"));
        assert!(read(Form::Number, Cell::Text("约八成".into())).unwrap_err().contains("不是数字"));
        assert_eq!(read(Form::Key, Cell::Number(2024.0)).unwrap(), Some(Value::from("2024")));
        assert_eq!(read(Form::Key, Cell::Text("ｋｗ－２０２６－０１".into())).unwrap(), Some(Value::from("kw-2026-01")));
    }

    #[test]
    fn departments_are_taken_by_name_or_id_and_an_unknown_one_is_named() {
        assert_eq!(read(Form::Departments, Cell::Text("区统计局、fgw".into())).unwrap(), Some(serde_json::json!(["tjj", "fgw"])));
        assert!(read(Form::Department, Cell::Text("区财政局".into())).unwrap_err().contains("没有部门“区财政局”"));
        assert_eq!(shown(Form::Departments, Some(&serde_json::json!(["tjj", "fgw"])), &lookups()), "区统计局、区发展和改革委员会");
        assert_eq!(read(Form::Domain, Cell::Text("城乡规划".into())).unwrap(), Some(Value::from("d01")));
        assert!(read(Form::Domain, Cell::Text("交通".into())).unwrap_err().contains("公开目录中没有领域“交通”"));
    }

    #[test]
    fn lists_are_one_a_line_and_materials_name_their_copies() {
        assert_eq!(read(Form::Lines, Cell::Text("提交申请\r\n\n 窗口受理 \n".into())).unwrap(), Some(serde_json::json!(["提交申请", "窗口受理"])));
        let materials = read(Form::Materials, Cell::Text("居民身份证：原件1份\n户口簿:复印件1份".into())).unwrap();
        assert_eq!(materials, Some(serde_json::json!([{"name": "居民身份证", "copies": "原件1份"}, {"name": "户口簿", "copies": "复印件1份"}])));
        assert_eq!(shown(Form::Materials, materials.as_ref(), &lookups()), "居民身份证：原件1份；户口簿：复印件1份");
        assert!(read(Form::Materials, Cell::Text("居民身份证".into())).unwrap_err().contains("材料名称：份数"));
    }

    #[test]
    fn empty_cells_are_empty_and_formulas_without_values_and_error_cells_are_refused() {
        assert_eq!(read(Form::Text, Cell::Text("\u{3000} ".into())).unwrap(), None);
        assert!(read(Form::Number, Cell::Uncalculated).unwrap_err().contains("公式没有计算结果"));
        assert!(read(Form::Number, Cell::Error("#DIV/0!".into())).unwrap_err().contains("#DIV/0!"));
        assert!(read(Form::Choice(&["推进中", "已完成"]), Cell::Text("完成".into())).unwrap_err().contains("推进中、已完成"));
    }
}
