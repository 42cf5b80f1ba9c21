//! A spreadsheet as staff upload it, read into sheets of cells: XLSX through calamine (a
//! formula cell gives its cached value), CSV in UTF-8 or in the GB18030 that Excel writes on a
//! Chinese desktop. The limits hold before anything is unpacked: the upload's size, then the
//! zip's directory and what each part really unpacks to, so a zip bomb is refused unopened.
//! Merged cells read as their top-left value in every cell they cover.

use std::{
    collections::BTreeMap,
    io::{Cursor, Read},
};

use calamine::{DataRef, Reader, Xlsx};
use chrono::NaiveDateTime;

/// The largest spreadsheet taken.
pub const MAX_UPLOAD_BYTES: usize = 10 << 20;
/// What an XLSX's parts may unpack to, together.
const MAX_UNPACKED_BYTES: u64 = 200 << 20;
/// How much more a part may unpack to than it takes packed: sheets of text pack 5 to 40
/// times smaller, a zip bomb a thousand times.
const MAX_PACKING_RATIO: u64 = 200;
const MAX_PARTS: usize = 2_000;
/// Rows and columns read; a template has a dozen columns.
pub const MAX_ROWS: u32 = 100_000;
const MAX_COLUMNS: u32 = 200;
/// What a file may hold once read, merged cells counted in every cell they cover: a few kB
/// of XML can declare far more (one region over a whole sheet, one long shared string in
/// every cell).
const MAX_CELLS: usize = 2_000_000;
const MAX_TEXT_BYTES: usize = 64 << 20;
/// Excel's own limit on a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    DateTime(NaiveDateTime),
    Bool(bool),
    /// `#DIV/0!` and the like.
    Error(String),
    /// A formula Excel never calculated (the file was written by a program, not saved in
    /// Excel): it has no value to import.
    Uncalculated,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim_matches(|c: char| c.is_whitespace()).is_empty(),
            _ => false,
        }
    }
}

/// One worksheet (a CSV file is one), its rows by their number from 0, each row's cells
/// by column from 0.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: BTreeMap<u32, Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: u32, column: u32) -> &Cell {
        self.rows.get(&row).and_then(|cells| cells.get(column as usize)).unwrap_or(&Cell::Empty)
    }

    /// Puts a cell, counting it against what the file may hold.
    fn put(&mut self, row: u32, column: u32, cell: Cell, budget: &mut Budget) -> Result<(), String> {
        budget.take(&self.name, row, column, &cell)?;
        let cells = self.rows.entry(row).or_default();
        if cells.len() <= column as usize {
            cells.resize(column as usize + 1, Cell::Empty);
        }
        cells[column as usize] = cell;
        Ok(())
    }
}

/// What is left of the cells and text a file may hold.
struct Budget {
    cells: usize,
    text_bytes: usize,
}

impl Budget {
    fn new() -> Self {
        Self { cells: MAX_CELLS, text_bytes: MAX_TEXT_BYTES }
    }

    fn take(&mut self, sheet: &str, row: u32, column: u32, cell: &Cell) -> Result<(), String> {
        let text = match cell {
            Cell::Text(text) => text.len(),
            _ => 0,
        };
        if matches!(cell, Cell::Text(t) if t.len() > MAX_CELL_CHARS && t.chars().count() > MAX_CELL_CHARS) {
            return Err(format!("{sheet}!{}：单元格超过 {MAX_CELL_CHARS} 个字（Excel 单元格的上限）", cell_name(row, column)));
        }
        if self.cells == 0 || self.text_bytes < text {
            return Err(format!("表格的单元格或文字太多（合并单元格按覆盖的每一格计算，最多 {MAX_CELLS} 格、{} MB 文字），请分成几个文件导入", MAX_TEXT_BYTES >> 20));
        }
        self.cells -= 1;
        self.text_bytes -= text;
        Ok(())
    }
}

/// A cell's address as Excel writes it: `C12`.
pub fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// The sheets of the file `name` (its name says CSV; anything else must be an XLSX). The
/// error says, in Chinese, why the file cannot be read.
pub fn read(name: &str, bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(format!("文件大小 {:.1} MB，超过 {} MB 的上限，请分成几个文件导入", bytes.len() as f64 / 1048576.0, MAX_UPLOAD_BYTES >> 20));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入".into());
    }
    if name.to_lowercase().ends_with(".csv") {
        return read_csv(name, bytes).map(|sheet| vec![sheet]);
    }
    Err("只能导入 .xlsx 或 .csv 文件".into())
}

/// Refuses an XLSX whose parts are too many or unpack to too much, by its directory and
/// then by unpacking each part into nothing, counting, and stopping at the limit.
fn measure_zip(bytes: &[u8]) -> Result<(), String> {
    let unreadable = |e: zip::result::ZipError| format!("文件已损坏，无法作为 .xlsx 打开（{e}）");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > MAX_PARTS {
        return Err(format!("文件包含 {} 个部件，不像是普通的表格，拒绝导入", archive.len()));
    }
    let too_much = || format!("文件解压后超过 {} MB，可能是恶意构造的压缩包，拒绝导入", MAX_UNPACKED_BYTES >> 20);
    let mut declared = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(unreadable)?;
        declared = declared.saturating_add(part.size());
        if part.size() > (1 << 20) && part.size() / part.compressed_size().max(1) > MAX_PACKING_RATIO {
            return Err(too_much());
        }
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(too_much());
    }
    let mut left = MAX_UNPACKED_BYTES;
    for index in 0..archive.len() {
        let part = archive.by_index(index).map_err(unreadable)?;
        let unpacked = std::io::copy(&mut part.take(left + 1), &mut std::io::sink()).map_err(|e| format!("文件已损坏（{e}）"))?;
        if unpacked > left {
            return Err(too_much());
        }
        left -= unpacked;
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    measure_zip(bytes)?;
    let unreadable = |e: calamine::XlsxError| format!("无法读取这个 .xlsx 文件（{e}）");
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut budget = Budget::new();
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let mut sheet = Sheet { name: name.clone(), rows: BTreeMap::new() };
        {
            let mut cells = match workbook.worksheet_cells_reader(&name) {
                Ok(cells) => cells,
                Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(unreadable(e)),
            };
            while let Some(record) = cells.next_cell_with_formula_metadata().map_err(unreadable)? {
                let (row, column) = record.pos;
                let cell = match record.value {
                    DataRef::Empty if record.formula.is_some() => Cell::Uncalculated,
                    value => cell_of(value),
                };
                if cell == Cell::Empty || column >= MAX_COLUMNS {
                    continue; // Formatted empty cells, as Excel keeps them below a table.
                }
                if row >= MAX_ROWS {
                    return Err(format!("工作表“{name}”超过 {MAX_ROWS} 行，请分成几个文件导入"));
                }
                sheet.put(row, column, cell, &mut budget)?;
            }
        }
        as_shown_in_percent(&mut sheet, &workbook.worksheet_style(&name).map_err(unreadable)?);
        let merged = workbook.merge_cells_by_sheet_name(&name).map_err(unreadable)?;
        fill_merged(&mut sheet, &merged, &mut budget)?;
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// A number shown as a percentage (`60%`, held as 0.6) is taken as shown: 60.
fn as_shown_in_percent(sheet: &mut Sheet, styles: &calamine::StyleRange) {
    for (&row, cells) in &mut sheet.rows {
        for (column, cell) in cells.iter_mut().enumerate() {
            let percent = || styles.get((row, column as u32)).and_then(|style| style.number_format.as_ref()).is_some_and(|format| format.format_code.contains('%'));
            if let Cell::Number(n) = cell
                && percent()
            {
                *n = (*n * 100.0 * 1e9).round() / 1e9;
            }
        }
    }
}

fn cell_of(value: DataRef) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(n) => Cell::Number(n as f64),
        DataRef::Float(n) => Cell::Number(n),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => Cell::Text(text),
        DataRef::SharedString(text) => Cell::Text(text.to_string()),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(date) => date.as_datetime().map_or_else(|| Cell::Number(date.as_f64()), Cell::DateTime),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Every cell a merged region covers takes its top-left value (a 类别 merged down several
/// rows belongs to each of them), within the rows the sheet has and the columns read.
fn fill_merged(sheet: &mut Sheet, merged: &[calamine::Dimensions], budget: &mut Budget) -> Result<(), String> {
    let last_row = sheet.rows.keys().next_back().copied().unwrap_or(0);
    for region in merged {
        let value = sheet.cell(region.start.0, region.start.1).clone();
        if value == Cell::Empty {
            continue;
        }
        for row in region.start.0..=region.end.0.min(last_row) {
            for column in region.start.1..=region.end.1.min(MAX_COLUMNS - 1) {
                if (row, column) != region.start {
                    sheet.put(row, column, value.clone(), budget)?;
                }
            }
        }
    }
    Ok(())
}

fn read_csv(name: &str, bytes: &[u8]) -> Result<Sheet, String> {
    // One line break, so that lines are counted as Excel counts them.
    let text = decode(bytes)?.replace("\r\n", "\n").replace('\r', "\n");
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.strip_suffix(".csv").or_else(|| stem.strip_suffix(".CSV")).unwrap_or(stem);
    let mut sheet = Sheet { name: stem.to_string(), rows: BTreeMap::new() };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut budget = Budget::new();
    // Excel shows a blank line as an empty row and a quoted line break inside its cell: a
    // record's row is the line it starts on (after the blank lines the reader passed over to
    // reach it) less the line breaks inside the records before it.
    let mut breaks_before = 0u64;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| format!("CSV 无法读取（{e}）"))? {
        let (byte, line) = record.position().map_or((0, 1), |start| (start.byte() as usize, start.line()));
        let blank_lines = text.as_bytes()[byte.min(text.len())..].iter().take_while(|b| **b == b'\n').count() as u64;
        let row = u32::try_from((line + blank_lines).saturating_sub(1 + breaks_before)).unwrap_or(u32::MAX);
        breaks_before += record.iter().map(|field| field.matches('\n').count() as u64).sum::<u64>();
        if row >= MAX_ROWS {
            return Err(format!("文件超过 {MAX_ROWS} 行，请分成几个文件导入"));
        }
        for (column, field) in record.iter().enumerate().take(MAX_COLUMNS as usize) {
            if !field.is_empty() {
                sheet.put(row, column as u32, Cell::Text(field.to_string()), &mut budget)?;
            }
        }
    }
    Ok(sheet)
}

/// CSV text: UTF-8 (with or without the mark Excel puts first), else GB18030.
fn decode(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8”后再导入".into());
    }
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_as_excel_shows_them_with_blank_lines_and_line_breaks_in_cells() {
        let sheet = &read("a.csv", "编号,正文\n\nd-1,\"第一段\n第二段\"\nd-2,x\r\nd-3,y".as_bytes()).unwrap()[0];
        let keys: Vec<(u32, &Cell)> = sheet.rows.iter().map(|(row, cells)| (*row, &cells[0])).collect();
        let text = |t: &str| Cell::Text(t.into());
        assert_eq!(keys, [(0, &text("编号")), (2, &text("d-1")), (3, &text("d-2")), (4, &text("d-3"))]);
    }

    #[test]
    fn a_merged_region_over_a_whole_sheet_is_refused_not_filled() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "一格").unwrap();
        sheet.write_string(99_999, 0, "最后一行").unwrap();
        let small = workbook.save_to_buffer().unwrap();
        // A few bytes of XML that declare 20 million cells.
        let mut archive = zip::ZipArchive::new(Cursor::new(&small)).unwrap();
        let mut written = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for index in 0..archive.len() {
            let mut part = archive.by_index(index).unwrap();
            let name = part.name().unwrap().to_string();
            let mut text = Vec::new();
            part.read_to_end(&mut text).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                text = String::from_utf8(text).unwrap().replace("</sheetData>", "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:GR100000\"/></mergeCells>").into_bytes();
            }
            written.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut written, &text).unwrap();
        }
        let declared = written.finish().unwrap().into_inner();
        assert!(declared.len() < 20_000, "{} bytes", declared.len());
        let refused = read("合并.xlsx", &declared).unwrap_err();
        assert!(refused.contains("单元格或文字太多"), "{refused}");
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!((cell_name(0, 0), cell_name(11, 2), cell_name(0, 25), cell_name(0, 26), cell_name(4, 701)), ("A1".into(), "C12".into(), "Z1".into(), "AA1".into(), "ZZ5".into()));
    }

    #[test]
    fn csv_from_a_chinese_excel_is_read_in_gb18030_and_in_utf8_with_its_mark() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("编号,任务名称\nkw-1,城区道路改造\n");
        for bytes in [gbk.to_vec(), b"\xEF\xBB\xBF\xE7\xBC\x96\xE5\x8F\xB7,x\n".to_vec()] {
            let sheets = read("进度.csv", &bytes).unwrap();
            assert_eq!((sheets[0].name.as_str(), sheets[0].cell(0, 0)), ("进度", &Cell::Text("编号".into())));
        }
        assert!(read("a.csv", &[0xFF, 0xFF, 0x81]).unwrap_err().contains("UTF-8"));
    }

    /// A zip whose one part is `size` zero bytes, packed about a thousand times smaller.
    fn zip_of_zeros(size: usize) -> Vec<u8> {
        let mut written = zip::ZipWriter::new(Cursor::new(Vec::new()));
        written.start_file("xl/worksheets/sheet1.xml", zip::write::SimpleFileOptions::default()).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..size >> 20 {
            std::io::Write::write_all(&mut written, &chunk).unwrap();
        }
        written.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_by_its_directory_before_anything_is_unpacked() {
        let bomb = zip_of_zeros(300 << 20);
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        assert!(read("bomb.xlsx", &bomb).unwrap_err().contains("解压后超过"));
        assert!(read("small.xlsx", &zip_of_zeros(2 << 20)).unwrap_err().contains("解压后超过"), "a ratio no spreadsheet has");
        assert!(read("cut.xlsx", &bomb[..bomb.len() / 2]).unwrap_err().contains("损坏"));
    }

    #[test]
    fn a_zip_whose_directory_understates_its_sizes_is_measured_by_what_it_unpacks_to() {
        let mut bomb = zip_of_zeros(300 << 20);
        // The uncompressed size in the local header (offset 22) and in the central directory
        // (offset 24) rewritten to 1,000 bytes.
        for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let at = bomb.windows(4).position(|w| w == signature).expect("a header");
            bomb[at + offset..at + offset + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        let refused = read("bomb.xlsx", &bomb).unwrap_err();
        assert!(refused.contains("解压后超过") || refused.contains("损坏"), "{refused}");
    }

    #[test]
    fn other_files_and_old_excel_are_refused_by_name() {
        assert!(read("a.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0]).unwrap_err().contains("另存为"));
        assert!(read("a.pdf", b"%PDF-1.7").unwrap_err().contains(".xlsx 或 .csv"));
        assert!(read("a.csv", &vec![b'a'; MAX_UPLOAD_BYTES + 1]).unwrap_err().contains("上限"));
    }
}
