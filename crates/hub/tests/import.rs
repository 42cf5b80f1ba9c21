//! 从表格导入 through the shipped `gongkai-hub`: the template downloaded, spreadsheets made
//! here as Excel writes them (a title row, merged cells, formulas, dates as dates and as text,
//! full-width digits, trailing empty rows) and as CSV in GB18030, uploaded, previewed with
//! every problem at its cell, and applied only as previewed.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use gongkai_hub::submissions::store::{SqliteStore, Store};
use gongkai_testkit::hub::{HubProcess, add_staff, add_staff_as, hidden_value, http, import_demo_workspace, post_form, post_multipart, sign_in, start_hub};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

use gongkai_core::content::workspace::Kind;

/// A hub on the demo workspace with 起草 `ops` and 审核 `rev` signed in.
fn console() -> (tempfile::TempDir, HubProcess, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    import_demo_workspace(&data);
    let hub = start_hub(&data, &[]);
    add_staff(&hub.data, "ops", "编辑小王", "correct horse battery");
    add_staff_as(&hub.data, "rev", "审核老李", "correct horse battery", &["审核"]);
    let (ops, rev) = (sign_in(&hub.url, "ops", "correct horse battery"), sign_in(&hub.url, "rev", "correct horse battery"));
    (dir, hub, ops, rev)
}

fn csrf(hub: &HubProcess, session: &str) -> String {
    let page = http(&hub.url, "GET", "/content/key_work/import", &[("Cookie", session.to_string())], b"").body;
    hidden_value(&page, "csrf").unwrap_or_default()
}

fn upload(hub: &HubProcess, session: &str, kind: &str, file_name: &str, bytes: &[u8]) -> gongkai_testkit::hub::Response {
    post_multipart(&hub.url, &format!("/content/{kind}/import"), session, &[("csrf", &csrf(hub, session))], ("file", file_name, bytes))
}

fn store(hub: &HubProcess) -> SqliteStore {
    SqliteStore::open(&hub.data.join("submissions.db")).unwrap()
}

fn key_work(hub: &HubProcess, id: &str) -> serde_json::Value {
    store(hub).workspace_item(Kind::KeyWork, id).unwrap().unwrap_or_else(|| panic!("{id}")).item.body
}

const HEADER: [&str; 10] = ["编号", "类别", "任务名称", "牵头单位", "配合单位", "目标任务", "完成进度（%）", "状态", "更新日期", "备注"];

/// A 重点工作 sheet as an office keeps it: a merged title row over the header, then `rows`
/// (each cell a string; `=…` a formula whose cached value follows `|`; a date as a date cell
/// when it starts with `date:`), then formatted empty rows as Excel leaves them.
fn key_work_xlsx(rows: &[[&str; 10]], merged_category: Option<(u32, u32)>) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("重点工作").unwrap();
    let bold = Format::new().set_bold();
    sheet.merge_range(0, 0, 0, 9, "云溪区2026年重点工作推进情况表", &bold).unwrap();
    for (column, label) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(1, column as u16, *label, &bold).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (at, row) in rows.iter().enumerate() {
        let r = at as u32 + 2;
        for (column, value) in row.iter().enumerate() {
            let c = column as u16;
            if let Some(formula) = value.strip_prefix('=') {
                let (formula, cached) = formula.split_once('|').unwrap_or((formula, ""));
                sheet.write_formula(r, c, Formula::new(format!("={formula}")).set_result(cached)).unwrap();
            } else if let Some(day) = value.strip_prefix("date:") {
                let [y, m, d] = day.split('-').map(|p| p.parse::<u16>().unwrap()).collect::<Vec<_>>()[..] else { panic!("{day}") };
                sheet.write_date_with_format(r, c, ExcelDateTime::from_ymd(y, m as u8, d as u8).unwrap(), &date).unwrap();
            } else if let Ok(number) = value.parse::<f64>() {
                sheet.write_number(r, c, number).unwrap();
            } else if !value.is_empty() {
                sheet.write_string(r, c, *value).unwrap();
            }
        }
    }
    if let Some((first, last)) = merged_category {
        let category = rows[first as usize - 2][1];
        sheet.merge_range(first, 1, last, 1, category, &Format::new()).unwrap();
    }
    for r in rows.len() as u32 + 2..rows.len() as u32 + 40 {
        sheet.write_blank(r, 0, &date).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

/// The XLSX with the cached value of every formula `formula` removed, as programs other than
/// Excel write them.
fn without_cached_values(xlsx: &[u8], formula: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut written = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut text).unwrap();
        if name.starts_with("xl/worksheets/") {
            let xml = String::from_utf8(text).unwrap();
            let marker = format!("<f>{formula}</f>");
            let (before, after) = xml.split_once(&marker).expect("the formula");
            let after = after.strip_prefix("<v>").and_then(|rest| rest.split_once("</v>")).map_or(after, |(_, rest)| rest);
            text = format!("{before}{marker}{after}").into_bytes();
        }
        written.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut written, &text).unwrap();
    }
    written.finish().unwrap().into_inner()
}

/// kw-2026-02 of the demo, row for row as the workspace has it.
const UNCHANGED: [&str; 10] = ["kw-2026-02", "政府工作报告", "规模以上工业增加值增长7%", "区工业和信息化局", "区统计局、区发展和改革委员会", "规模以上工业增加值同比增长7%，工业投资增长10%", "76", "推进中", "date:2026-10-26", ""];

#[test]
fn a_key_work_spreadsheet_is_previewed_field_by_field_and_applied_only_as_previewed() {
    let (_dir, hub, ops, rev) = console();

    // The template: the header row, an example with a real department, and the notes.
    let template = http(&hub.url, "GET", "/content/key_work/template.xlsx", &[("Cookie", ops.clone())], b"");
    assert_eq!(template.status, 200);
    assert!(template.header("content-disposition").unwrap().contains("filename*=UTF-8''"), "{:?}", template.headers);
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(template.bytes.clone())).unwrap();
    assert_eq!(workbook.sheet_names(), ["重点工作", "填写说明"]);
    let first = workbook.worksheet_range("重点工作").unwrap();
    let header: Vec<String> = first.rows().next().unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(header, HEADER[..9]);
    assert_eq!(first.get_value((1, 3)), Some(&Data::String("云溪区人民政府".into())), "the example names a department of the site");
    assert!(matches!(first.get_value((1, 0)), Some(Data::String(key)) if key.starts_with("示例")), "the example row is marked");
    assert!(matches!(first.get_value((1, 8)), Some(Data::DateTime(_))), "the example date is a date");
    let notes = workbook.worksheet_range("填写说明").unwrap();
    assert!(notes.rows().any(|row| row.iter().any(|c| c.to_string() == "区统计局")), "the notes list the departments");

    let rows = [
        // A change: the progress by a formula (its cached value), the date as a date cell.
        ["kw-2026-01", "政府工作报告", "地区生产总值增长6%左右", "区发展和改革委员会", "区统计局、区工业和信息化局、区商务局", "全年地区生产总值达到525亿元左右，同比增长6%", "=80+5|85", "推进中", "date:2026-11-20", "已核对"],
        UNCHANGED,
        // Two new ones, their 类别 merged over both rows; full-width digits, a date as text.
        ["ｋｗ－２０２６－９０", "民生实事", "新建城区公办幼儿园3所", "区教育体育局", "区财政局、zjj", "年底前建成并开园，新增学位1080个", "６０％", "推进中", "2026年11月18日", ""],
        ["kw-2026-91", "民生实事", "老旧小区改造20个", "区住房和城乡建设局", "", "完成20个老旧小区改造", "0", "未开始", "2026/11/1", ""],
    ];
    let xlsx = key_work_xlsx(&rows, Some((4, 5)));

    let refused = post_multipart(&hub.url, "/content/key_work/import", &ops, &[("csrf", "wrong")], ("file", "进度表.xlsx", &xlsx));
    assert_eq!(refused.status, 403, "CSRF on the upload");
    let by_reviewer = upload(&hub, &rev, "key_work", "进度表.xlsx", &xlsx);
    assert_eq!(by_reviewer.status, 403, "importing needs 起草");

    let preview = upload(&hub, &ops, "key_work", "进度表.xlsx", &xlsx);
    assert_eq!(preview.status, 200, "{}", preview.body);
    let page = preview.body;
    assert!(page.contains("工作表“重点工作”：新增 <strong>2</strong> 条，修改 <strong>1</strong> 条，未变 1 条"), "{page}");
    assert!(page.contains("不会导入：备注"), "{page}");
    assert!(page.contains("完成进度（%）：<del>78</del> → <ins>85</ins>"), "{page}");
    assert!(page.contains("更新日期：<del>2026-10-30</del> → <ins>2026-11-20</ins>"), "{page}");
    assert!(page.contains("配合单位：<ins>区财政局、区住房和城乡建设局</ins>"), "a new item's departments by name: {page}");
    assert_eq!(key_work(&hub, "kw-2026-01")["progress"], 78, "a preview writes nothing");

    // Confirmed with a digest the preview did not give: the preview again, nothing written.
    let (upload_id, digest) = (hidden_value(&page, "upload").unwrap(), hidden_value(&page, "digest").unwrap());
    let stale = post_form(&hub.url, "/content/key_work/import/apply", &ops, &[("csrf", &csrf(&hub, &ops)), ("upload", &upload_id), ("digest", "0")]);
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("重新生成的预览") && stale.body.contains(&digest), "{}", stale.body);
    let by_reviewer = post_form(&hub.url, "/content/key_work/import/apply", &rev, &[("csrf", &csrf(&hub, &rev)), ("upload", &upload_id), ("digest", &digest)]);
    assert_eq!(by_reviewer.status, 403);
    add_staff(&hub.data, "ops2", "编辑小张", "correct horse battery");
    let other = sign_in(&hub.url, "ops2", "correct horse battery");
    let not_theirs = post_form(&hub.url, "/content/key_work/import/apply", &other, &[("csrf", &csrf(&hub, &other)), ("upload", &upload_id), ("digest", &digest)]);
    assert_eq!(not_theirs.status, 404, "another editor cannot apply this upload");
    assert_eq!(key_work(&hub, "kw-2026-01")["progress"], 78, "nothing written");

    let applied = post_form(&hub.url, "/content/key_work/import/apply", &ops, &[("csrf", &csrf(&hub, &ops)), ("upload", &upload_id), ("digest", &digest)]);
    assert_eq!((applied.status, applied.header("location")), (303, Some("/content/key_work/import?added=2&changed=1")), "{}", applied.body);
    let changed = key_work(&hub, "kw-2026-01");
    assert_eq!((changed["progress"].clone(), changed["updated_on"].clone()), (85.into(), "2026-11-20".into()));
    assert_eq!(changed["co"], serde_json::json!(["tjj", "gxj", "swj"]));
    assert_eq!(changed["milestones"].as_array().map(Vec::len), Some(4), "what the sheet has no column for is kept");
    let added = key_work(&hub, "kw-2026-90");
    assert_eq!(added["progress"], 60);
    assert_eq!(added["updated_on"], "2026-11-18");
    assert_eq!(added["co"], serde_json::json!(["czj", "zjj"]));
    let merged = key_work(&hub, "kw-2026-91");
    assert_eq!((merged["category"].clone(), merged["updated_on"].clone()), ("民生实事".into(), "2026-11-01".into()), "the merged 类别 belongs to both rows");
    let audit = store(&hub).audit_log(None, None, 5).unwrap();
    assert!(audit.iter().any(|e| e.staff == "ops" && e.detail.contains("导入表格：重点工作，文件“进度表.xlsx”工作表“重点工作”，新增 2 条，修改 1 条")), "{audit:?}");

    // The same confirmation again: the upload was removed once applied.
    let again = post_form(&hub.url, "/content/key_work/import/apply", &ops, &[("csrf", &csrf(&hub, &ops)), ("upload", &upload_id), ("digest", &digest)]);
    assert!(again.status == 404 && again.body.contains("它已导入"), "{}", again.status);
    // Uploaded again, the same sheet changes nothing.
    let same = upload(&hub, &ops, "key_work", "进度表.xlsx", &xlsx).body;
    assert!(same.contains("无需导入") && same.contains("未变 4 条"), "{same}");
    let list = http(&hub.url, "GET", "/content/key_work", &[("Cookie", ops)], b"").body;
    assert!(list.contains("新建城区公办幼儿园3所") && list.contains("href=\"/content/key_work/import\""), "{list}");
}

#[test]
fn every_problem_is_named_at_its_cell_and_nothing_is_applied() {
    let (_dir, hub, ops, _) = console();
    let rows = [
        ["kw-2026-01", "政府工作报告", "地区生产总值增长6%左右", "区发展和改革委员会", "", "目标", "78", "完成", "date:2026-11-20", ""],
        ["kw-2026-92", "民生实事", "新建公园", "区发展和改革委员会", "", "目标", "120", "推进中", "date:2026-11-20", ""],
        ["kw-2026-93", "民生实事", "新建停车场", "区规划局", "", "目标", "10", "推进中", "date:2026-11-20", ""],
        ["kw-2026-94", "民生实事", "", "区发展和改革委员会", "", "目标", "=A1*2|0", "推进中", "2999-01-01", ""],
        ["kw-2026-92", "民生实事", "重复的编号", "区发展和改革委员会", "", "目标", "100", "推进中", "date:2026-11-20", ""],
        ["kw-2026-95", "民生实事", "联系人手机13812345678", "区发展和改革委员会", "", "目标", "100", "推进中", "3月5日", ""],
    ];
    let preview = upload(&hub, &ops, "key_work", "有问题.xlsx", &without_cached_values(&key_work_xlsx(&rows, None), "A1*2"));
    assert_eq!(preview.status, 200);
    let page = preview.body;
    for expected in [
        "重点工作!H3（状态）：“完成”不是可选的值，请填 未开始、推进中、已完成、滞后",
        "重点工作!G4（完成进度（%））：120 不在 0 到 100 之间",
        "重点工作!D5（牵头单位）：站点信息中没有部门“区规划局”",
        "重点工作!C6（任务名称）：请填写任务名称",
        "重点工作!G6（完成进度（%））：公式没有计算结果",
        "重点工作!A7（编号）：编号与第 4 行重复",
        "重点工作!C8（任务名称）：第 6 个字起有未遮挡的手机号码",
        "重点工作!I8（更新日期）：“3月5日”不是日期",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    assert!(page.contains("没有导入任何内容") && !page.contains("name=\"digest\""), "no confirmation while any row has a problem");

    // A future date is the checker's refusal, at its cell.
    let future = [["kw-2026-96", "民生实事", "新建公园", "区发展和改革委员会", "", "目标", "10", "推进中", "2999-01-01", ""]];
    let page = upload(&hub, &ops, "key_work", "未来.xlsx", &key_work_xlsx(&future, None)).body;
    assert!(page.contains("重点工作!I3（更新日期）：2999-01-01 晚于今天"), "{page}");

    // Files that are not a sheet of this kind are refused as a whole, and say why.
    let not_a_sheet = upload(&hub, &ops, "key_work", "说明.pdf", b"%PDF-1.7");
    assert_eq!(not_a_sheet.status, 422);
    assert!(not_a_sheet.body.contains("只能导入 .xlsx 或 .csv 文件"), "{}", not_a_sheet.body);
    let headless = upload(&hub, &ops, "key_work", "空.csv", "甲,乙\n1,2\n".as_bytes());
    assert!(headless.status == 422 && headless.body.contains("没有找到表头"), "{}", headless.body);
    let short = upload(&hub, &ops, "key_work", "缺列.csv", "编号,任务名称,牵头单位\nkw-1,x,y\n".as_bytes());
    assert!(short.status == 422 && short.body.contains("表头缺少必填的列：类别、目标任务、完成进度（%）、状态、更新日期"), "{}", short.body);
    assert_eq!(key_work(&hub, "kw-2026-01")["status"], "推进中", "nothing applied");

    // Over the bounds: a file over 10 MB is named so; a body over the upload's bound is not
    // read; a confirmation keeps the 64 KB bound of every other form.
    let over = upload(&hub, &ops, "key_work", "大.csv", &vec![b'a'; (10 << 20) + 1]);
    assert!(over.status == 422 && over.body.contains("超过 10 MB 的上限"), "{}", over.status);
    let too_large = upload(&hub, &ops, "key_work", "大.csv", &vec![b'a'; (10 << 20) + 100 * 1024]);
    assert_eq!(too_large.status, 413);
    let long = "0".repeat(70 * 1024);
    let confirmation = post_form(&hub.url, "/content/key_work/import/apply", &ops, &[("csrf", &csrf(&hub, &ops)), ("upload", "1"), ("digest", &long)]);
    assert_eq!(confirmation.status, 413, "the confirmation keeps the 64 KB bound");
}

#[test]
fn monthly_statistics_come_in_from_a_csv_excel_wrote_in_gb18030() {
    let (_dir, hub, ops, _) = console();
    let csv = "部门,月份,许可,处罚,其他,按时办结率（%）,满意度（%）\r\n区统计局,2026年11月,１２,3,,99.5%,98\r\n区市场监督管理局,2025-12,,25,46,98.6,99.2\r\n,,,,,,\r\n";
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(csv);
    assert!(!unmappable);
    let preview = upload(&hub, &ops, "admin_monthly", "月报.csv", &gbk);
    assert_eq!(preview.status, 200, "{}", preview.body);
    let page = preview.body;
    assert!(page.contains("工作表“月报”：新增 <strong>1</strong> 条，修改 <strong>1</strong> 条"), "{page}");
    let (upload_id, digest) = (hidden_value(&page, "upload").unwrap(), hidden_value(&page, "digest").unwrap());
    let applied = post_form(&hub.url, "/content/admin_monthly/import/apply", &ops, &[("csrf", &csrf(&hub, &ops)), ("upload", &upload_id), ("digest", &digest)]);
    assert_eq!(applied.status, 303, "{}", applied.body);
    let month = store(&hub).workspace_item(Kind::AdminMonthly, "tjj/2026-11").unwrap().unwrap().item.body;
    assert_eq!(month, serde_json::json!({"department": "tjj", "month": "2026-11", "counts": {"许可": 12, "处罚": 3}, "on_time_rate": 99.5, "satisfaction": 98}));
    let earlier = store(&hub).workspace_item(Kind::AdminMonthly, "scjgj/2025-12").unwrap().unwrap().item.body;
    assert_eq!(earlier["satisfaction"], 99.2);
    assert_eq!(earlier["counts"], serde_json::json!({"处罚": 25, "强制": 6, "奖励": 1, "其他": 46}), "counts the sheet has no column for are kept");
}

#[test]
fn an_import_killed_while_it_is_applied_is_all_or_nothing() {
    const ROWS: u32 = 20_000;
    let (_dir, mut hub, ops, _) = console();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, label) in ["编号", "权力类型", "决定文书号", "相对人类型", "行政相对人", "事项", "处理结果", "决定日期", "决定机关"].iter().enumerate() {
        sheet.write_string(0, column as u16, *label).unwrap();
    }
    for row in 1..=ROWS {
        for (column, value) in [format!("kill-{row:05}"), "许可".into(), format!("云市监许〔2026〕{row}号"), "法人".into(), format!("某某商贸有限公司{row}"), "食品经营许可".into(), "准予许可".into(), "2026-11-02".into(), "区市场监督管理局".into()].iter().enumerate() {
            sheet.write_string(row, column as u16, value).unwrap();
        }
    }
    let xlsx = workbook.save_to_buffer().unwrap();
    let imported = |hub: &HubProcess| store(hub).workspace_list(&gongkai_hub::submissions::store::WorkspaceQuery { text: "kill-".into(), ..gongkai_hub::submissions::store::WorkspaceQuery::all(Kind::AdminRecords) }, 0, 1).unwrap().1;
    let mut killed_before_commit = 0;
    for delay_ms in (1..).map(|step| step * 150) {
        let preview = upload(&hub, &ops, "admin_records", "决定.xlsx", &xlsx);
        assert!(preview.body.contains(&format!("新增 <strong>{ROWS}</strong> 条")), "{}", &preview.body[..preview.body.len().min(3000)]);
        let fields = [("csrf", csrf(&hub, &ops)), ("upload", hidden_value(&preview.body, "upload").unwrap()), ("digest", hidden_value(&preview.body, "digest").unwrap())];
        let (url, session) = (hub.url.clone(), ops.clone());
        let confirming = std::thread::spawn(move || {
            let body = gongkai_testkit::hub::form_body(&fields.iter().map(|(n, v)| (*n, v.as_str())).collect::<Vec<_>>());
            let headers = [("Cookie", session), ("Content-Type", "application/x-www-form-urlencoded".to_string())];
            gongkai_testkit::hub::try_http(&url, "POST", "/content/admin_records/import/apply", &headers, &body)
        });
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        hub.process.kill().unwrap(); // SIGKILL
        hub.process.wait().unwrap();
        let answered = confirming.join().unwrap().is_ok_and(|r| r.status == 303);
        let data = hub.data.clone();
        hub = start_hub(&data, &[]);
        let count = imported(&hub);
        assert!(count == 0 || count == ROWS as u64, "{count} of {ROWS} rows after kill -9: an import is all or nothing");
        assert!(!answered || count == ROWS as u64, "an import confirmed to staff is kept");
        if count == ROWS as u64 {
            break;
        }
        killed_before_commit += 1;
    }
    assert!(killed_before_commit >= 1, "killed at least once before the import was committed");
    let audit = store(&hub).audit_log(None, None, 20).unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "导入表格").count(), 1, "one import, audited once");
}

#[test]
fn a_catalogue_of_documents_comes_in_with_domains_by_name_and_new_documents_fill_the_last_shard() {
    let (_dir, hub, ops, _) = console();
    let before = store(&hub).workspace_item(Kind::Documents, "doc-a-001").unwrap().unwrap();
    let csv = "编号,标题,索引号,文号,发文机关,成文日期,发布日期,主题分类,所属领域,公开属性,有效性,正文\n\
        doc-a-001,云溪区国土空间分区规划（2021—2035年）,11360402MB1C23456X/2024-00879,云府发〔2024〕13号,云溪区人民政府,2024-06-18,2024-06-21,城乡建设、环境保护,城乡规划,主动公开,有效,\"第一段\n第二段\"\n\
        doc-2026-901,关于开展2026年政务公开培训的通知,11360402MB1C23456X/2026-00901,,区人民政府办公室,2026/11/2,2026年11月3日,综合政务,,主动公开,有效,各单位：……\n\
        DOC 902,关于某事项的通知,X/2026-00902,,区人民政府办公室,2026-11-02,2026-11-03,综合政务,交通运输,依申请公开,有效,正文\n";
    let page = upload(&hub, &ops, "documents", "目录.csv", csv.as_bytes()).body;
    for expected in [
        "目录!A4（编号）：编号只能由 1 至 24 个小写字母、数字或连字符组成",
        "目录!I4（所属领域）：公开目录中没有领域“交通运输”",
        "目录!J4（公开属性）：终端只展示主动公开的文件",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    let good = csv.split("DOC 902").next().unwrap();
    let page = upload(&hub, &ops, "documents", "目录.csv", good.as_bytes()).body;
    assert!(page.contains("新增 <strong>1</strong> 条，修改 <strong>1</strong> 条"), "{page}");
    assert!(!page.contains("所属领域："), "the domain, named as it is, is no change: {page}");
    let fields = [("csrf", csrf(&hub, &ops)), ("upload", hidden_value(&page, "upload").unwrap()), ("digest", hidden_value(&page, "digest").unwrap())];
    let applied = post_form(&hub.url, "/content/documents/import/apply", &ops, &fields.iter().map(|(n, v)| (*n, v.as_str())).collect::<Vec<_>>());
    assert_eq!(applied.status, 303, "{}", applied.body);
    let changed = store(&hub).workspace_item(Kind::Documents, "doc-a-001").unwrap().unwrap();
    assert_eq!((changed.item.body["title"].as_str(), changed.item.body["body"].as_str()), (Some("云溪区国土空间分区规划（2021—2035年）"), Some("第一段\n第二段")));
    assert_eq!((changed.item.body["attachments"].clone(), changed.item.body["interpretations"].clone()), (before.item.body["attachments"].clone(), before.item.body["interpretations"].clone()), "attachments and 解读 are kept");
    let added = store(&hub).workspace_item(Kind::Documents, "doc-2026-901").unwrap().unwrap();
    assert_eq!((added.item.file.as_str(), added.item.position), ("documents/c.json", 100), "after the last document of the last shard");
    assert_eq!(added.item.body.get("domain"), None, "an empty 所属领域 is left out");
}

#[test]
fn service_guides_come_in_with_their_conditions_materials_and_steps_one_a_line() {
    let (_dir, hub, ops, _) = console();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("办事指南").unwrap();
    let header = ["编号", "事项名称", "实施部门", "所属领域", "办理条件", "申请材料", "办理流程", "办理时限", "收费标准", "办理窗口", "咨询电话"];
    let rows = [
        ["bs-901", "老年人优待证办理", "区民政局", "养老服务", "年满60周岁\n本区户籍或居住证", "居民身份证：原件1份\n近期免冠照片：1张", "提交申请\n当场办结", "即来即办", "不收费", "区政务服务中心一楼3号窗口", "0794-8260001"],
        ["bs-902", "材料没写份数", "区民政局", "", "年满60周岁", "居民身份证", "提交申请", "即来即办", "不收费", "一楼", "0794-8260001"],
    ];
    for (column, label) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *label).unwrap();
        for (at, row) in rows.iter().enumerate() {
            sheet.write_string(at as u32 + 1, column as u16, row[column]).unwrap();
        }
    }
    let xlsx = workbook.save_to_buffer().unwrap();
    let page = upload(&hub, &ops, "service_guides", "指南.xlsx", &xlsx).body;
    assert!(page.contains("办事指南!F3（申请材料）：“居民身份证”：每行写一种材料，格式为“材料名称：份数”"), "{page}");
    assert!(page.contains("新增 <strong>1</strong> 条") && !page.contains("name=\"digest\""), "the good row waits for the other: {page}");

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, label) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *label).unwrap();
        sheet.write_string(1, column as u16, rows[0][column]).unwrap();
    }
    let page = upload(&hub, &ops, "service_guides", "指南.xlsx", &workbook.save_to_buffer().unwrap()).body;
    assert!(page.contains("申请材料：<ins>居民身份证：原件1份；近期免冠照片：1张</ins>"), "{page}");
    let fields = [("csrf", csrf(&hub, &ops)), ("upload", hidden_value(&page, "upload").unwrap()), ("digest", hidden_value(&page, "digest").unwrap())];
    let applied = post_form(&hub.url, "/content/service_guides/import/apply", &ops, &fields.iter().map(|(n, v)| (*n, v.as_str())).collect::<Vec<_>>());
    assert_eq!(applied.status, 303, "{}", applied.body);
    let guide = store(&hub).workspace_item(Kind::ServiceGuides, "bs-901").unwrap().unwrap().item.body;
    assert_eq!(guide["conditions"], serde_json::json!(["年满60周岁", "本区户籍或居住证"]));
    assert_eq!(guide["materials"][1], serde_json::json!({"name": "近期免冠照片", "copies": "1张"}));
    assert_eq!((guide["department"].as_str(), guide["domain"].as_str()), (Some("mzj"), Some("ylfw")));
}

/// A workbook with a sheet of `rows` under `header` for each `(name, header, rows)`, every cell text.
fn workbook(sheets: &[(&str, &[&str], &[&[&str]])]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    for (name, header, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (column, label) in header.iter().enumerate() {
            sheet.write_string(0, column as u16, *label).unwrap();
        }
        for (at, row) in rows.iter().enumerate() {
            for (column, text) in row.iter().enumerate() {
                sheet.write_string(at as u32 + 1, column as u16, *text).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn apply(hub: &HubProcess, session: &str, kind: &str, page: &str) -> gongkai_testkit::hub::Response {
    let fields = [("csrf", csrf(hub, session)), ("upload", hidden_value(page, "upload").expect("an import to confirm")), ("digest", hidden_value(page, "digest").unwrap())];
    post_form(&hub.url, &format!("/content/{kind}/import/apply"), session, &fields.iter().map(|(n, v)| (*n, v.as_str())).collect::<Vec<_>>())
}

const CATALOGUE_HEADER: [&str; 13] =
    ["所属领域", "事项编号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体（一行一个）", "公开对象", "公开方式", "公开层级（一行一个）", "相关文件编号（一行一个）"];

#[test]
fn catalogue_items_come_in_a_row_each_within_the_domain_the_row_names() {
    let (_dir, hub, ops, _) = console();
    let domain = |id: &str| store(&hub).workspace_item(Kind::Domains, id).unwrap().unwrap().item.body;
    let before = domain("cxgh");
    let other_domain = domain("zdjsxm");

    let template = http(&hub.url, "GET", "/content/domains/template.xlsx", &[("Cookie", ops.clone())], b"");
    assert_eq!(template.status, 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(template.bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["公开事项", "填写说明"]);
    let first = book.worksheet_range("公开事项").unwrap();
    assert_eq!(first.rows().next().unwrap().iter().map(ToString::to_string).collect::<Vec<_>>(), CATALOGUE_HEADER);
    assert_eq!(first.get_value((1, 0)), Some(&Data::String("示例：城乡规划".into())), "the example names a domain of the catalogue");
    let notes = book.worksheet_range("填写说明").unwrap();
    assert!(notes.rows().any(|row| row.iter().any(|c| c.to_string() == "重大建设项目")), "the notes list the domains");

    let first_item: Vec<String> = ["level1", "level2", "content", "basis"].iter().map(|f| before["items"][0][f].as_str().unwrap().to_string()).collect();
    let changed: [&str; 13] = ["城乡规划", "cxgh-01", &first_item[0], &first_item[1], &first_item[2], &first_item[3], "规划批准后15个工作日内", "区自然资源局", "政府网站\n政务公开专区\n公开查阅点\n政务新媒体\n新闻发布会", "全社会", "主动", "区级", "doc-a-001\ndoc-a-004\ndoc-a-006\ndoc-a-009\ndoc-a-010"];
    let added: [&str; 13] = ["cxgh", "ｃｘｇｈ－０９", "城乡规划编制", "控制性详细规划", "经批准的规划文本及图件", "《中华人民共和国城乡规划法》第八条", "批准后20个工作日内", "区自然资源局", "政府网站\n政务公开专区", "全社会", "主动", "区级", ""];
    let mut twice = added;
    twice[3] = "同一编号又一行";
    let unknown: [&str; 13] = ["城乡建设", "cxgh-10", "一", "二", "内容", "依据", "时限", "主体", "政府网站", "全社会", "主动", "区级", ""];
    let mut bad_mode = unknown;
    bad_mode[0] = "城乡规划";
    bad_mode[10] = "公开";
    let mut phone = unknown;
    phone[0] = "城乡规划";
    phone[1] = "cxgh-11";
    phone[4] = "联系人王某，电话13912345678";
    let mut elsewhere = phone;
    elsewhere[1] = "zdjsxm-01";
    elsewhere[4] = "内容";
    elsewhere[12] = "doc-a-001\ndoc-nope";
    let mut new_twice = added;
    new_twice[0] = "重大建设项目";
    let mut upper = phone;
    upper[1] = "CXGH-12";
    upper[4] = "内容";
    let header: &[&str] = &CATALOGUE_HEADER;
    let xlsx = workbook(&[("公开事项", header, &[&changed, &added, &twice, &unknown, &bad_mode, &phone, &elsewhere, &new_twice, &upper])]);
    let page = upload(&hub, &ops, "domains", "目录.xlsx", &xlsx).body;
    assert!(page.contains("公开事项!B4（事项编号）：事项编号与第 3 行相同"), "{page}");
    assert!(page.contains("公开事项!B9（事项编号）：事项编号与第 3 行相同"), "a new 编号 in two domains: {page}");
    assert!(page.contains("公开事项!B10（事项编号）：事项编号只能由 1 至 24 个小写字母"), "{page}");
    assert!(page.contains("公开事项!A5（所属领域）：公开目录中没有领域“城乡建设”"), "{page}");
    assert!(page.contains("公开事项!K6（公开方式）：“公开”不是可选的值，请填 主动、依申请"), "{page}");
    assert!(page.contains("公开事项!E7（公开内容（要素））："), "the checker's problem in a row is told at its cell: {page}");
    assert!(page.contains("公开事项!B8（事项编号）：事项编号“zdjsxm-01”已用于领域“重大建设项目”的公开事项"), "{page}");
    assert!(page.contains("公开事项!M8（相关文件编号（一行一个））：政府信息中没有编号为“doc-nope”的文件"), "{page}");
    assert!(!page.contains("name=\"digest\""), "nothing is applied while a row has a problem: {page}");
    assert_eq!(domain("cxgh"), before);

    let xlsx = workbook(&[("公开事项", header, &[&changed, &added])]);
    let page = upload(&hub, &ops, "domains", "目录.xlsx", &xlsx).body;
    assert!(page.contains("新增 <strong>1</strong> 条，修改 <strong>1</strong> 条，未变 0 条"), "{page}");
    assert!(page.contains("<th>事项编号</th><th>所属领域</th>"), "{page}");
    assert!(page.contains(&format!("公开时限：<del>{}</del> → <ins>规划批准后15个工作日内</ins>", before["items"][0]["time_limit"].as_str().unwrap())), "{page}");
    let applied = apply(&hub, &ops, "domains", &page);
    assert_eq!((applied.status, applied.header("location")), (303, Some("/content/domains/import?added=1&changed=1")), "{}", applied.body);
    let after = domain("cxgh");
    let items = after["items"].as_array().unwrap();
    assert_eq!(items.len(), before["items"].as_array().unwrap().len() + 1);
    assert_eq!(items[0]["time_limit"], "规划批准后15个工作日内");
    assert_eq!(items[0]["documents"], before["items"][0]["documents"]);
    assert_eq!(items[1..items.len() - 1], before["items"].as_array().unwrap()[1..], "the rows the sheet does not name are kept");
    let new = items.last().unwrap();
    assert_eq!((new["id"].as_str(), new["channels"].clone(), new["documents"].clone()), (Some("cxgh-09"), serde_json::json!(["政府网站", "政务公开专区"]), serde_json::json!([])));
    assert_eq!(domain("zdjsxm"), other_domain, "a domain no row names is as it was");
    let same = upload(&hub, &ops, "domains", "目录.xlsx", &xlsx).body;
    assert!(same.contains("无需导入") && same.contains("未变 2 条"), "{same}");

    // A sheet without the optional 相关文件编号 column keeps each item's documents, and an item
    // without documents is not changed by an empty cell.
    let second = before["items"][1].clone();
    let cell = |field: &str| second[field].as_str().unwrap().to_string();
    let lines = |field: &str| second[field].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>().join("\n");
    let row: Vec<String> = vec!["城乡规划".into(), cell("id"), cell("level1"), cell("level2"), cell("content"), cell("basis"), "按季度更新".into(), cell("subject"), lines("channels"), cell("audience"), cell("mode"), lines("levels")];
    let row: Vec<&str> = row.iter().map(String::as_str).collect();
    let page = upload(&hub, &ops, "domains", "目录.xlsx", &workbook(&[("公开事项", &CATALOGUE_HEADER[..12], &[&row])])).body;
    assert!(page.contains("修改 <strong>1</strong> 条") && page.contains("公开时限："), "{page}");
    assert!(!page.contains("相关文件编号："), "{page}");
    assert_eq!(apply(&hub, &ops, "domains", &page).status, 303);
    assert_eq!(domain("cxgh")["items"][1]["documents"], before["items"][1]["documents"]);
}

#[test]
fn community_tables_come_in_from_the_sheets_named_after_them() {
    let (_dir, hub, ops, _) = console();
    let community = |id: &str| store(&hub).workspace_item(Kind::Communities, id).unwrap().unwrap().item.body;
    let before = community("sq-qingfeng");
    assert_eq!(before["finance"][1]["lines"][4], serde_json::json!({"subject": "办公用品及打印耗材", "flow": "支出", "amount": 2718.0}));

    let template = http(&hub.url, "GET", "/content/communities/template.xlsx", &[("Cookie", ops.clone())], b"");
    let book: Xlsx<_> = Xlsx::new(Cursor::new(template.bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["财务公开", "居(村)务公开事项", "惠民政策", "填写说明"]);

    // 财务公开 as a CSV named after its sheet: a line changed, a line and a period added.
    // Periods typed full-width or with a space are the periods the community has; two payments
    // of one 科目 in a period are two lines.
    let csv = "社区,期间,科目,收支,金额（元）\r\n清风社区,２０２６年 第三季度,办公用品及打印耗材,支出,\"2,800.50\"\r\nsq-qingfeng,2026年第四季度,上级拨付社区工作经费,收入,30000\r\n清风社区,2026年第三季度,上级拨付社区工作经费,收入,30000\r\n清风社区,2026年第四季度,保洁服务费,支出,1200\r\n清风社区,2026年第四季度,保洁服务费,支出,1200\r\n清风社区,２０２６年第三季度,慰问品,支出,800\r\n";
    let page = upload(&hub, &ops, "communities", "财务公开.csv", csv.as_bytes()).body;
    assert!(page.contains("工作表“财务公开”：新增 <strong>4</strong> 条，修改 <strong>1</strong> 条，未变 1 条"), "{page}");
    assert!(page.contains("<th>条目</th><th>社区（村）</th>") && page.contains("<td>财务公开：2026年第三季度 · 办公用品及打印耗材 · 支出</td><td>清风社区</td>"), "{page}");
    assert!(page.contains("金额（元）：<del>2718</del> → <ins>2800.5</ins>"), "{page}");
    assert_eq!(apply(&hub, &ops, "communities", &page).status, 303);
    let after = community("sq-qingfeng");
    assert_eq!(after["finance"][1]["lines"][4]["amount"], 2800.5);
    assert_eq!(after["finance"][1]["lines"].as_array().map(Vec::len), before["finance"][1]["lines"].as_array().map(|lines| lines.len() + 1));
    assert_eq!((after["finance"][1]["period"].as_str(), after["finance"][1]["lines"].as_array().unwrap().last().unwrap()["subject"].as_str()), (Some("2026年第三季度"), Some("慰问品")));
    assert_eq!(after["finance"][0], before["finance"][0]);
    let cleaning = serde_json::json!({"subject": "保洁服务费", "flow": "支出", "amount": 1200});
    assert_eq!(after["finance"][2], serde_json::json!({"period": "2026年第四季度", "lines": [{"subject": "上级拨付社区工作经费", "flow": "收入", "amount": 30000}, cleaning, cleaning]}));
    assert_eq!(after["finance"].as_array().map(Vec::len), Some(3));
    assert_eq!((after["benefits"].clone(), after["affairs"].clone()), (before["benefits"].clone(), before["affairs"].clone()));

    // 惠民政策 and 居(村)务公开事项 in one workbook, each sheet by its name.
    let posts: &[&str] = &["社区（村）", "标题", "内容", "发布日期"];
    let benefit: &[&str] = &["清风社区", "2027年城乡居民医保缴费提醒", "2027年度城乡居民医保个人缴费标准为每人每年400元，请于12月31日前缴纳。", "2026-11-20"];
    let phone: &[&str] = &["清风社区", "临时救助公示", "救助对象张某，联系电话13912345678", "2026-11-20"];
    let nowhere: &[&str] = &["不存在的社区", "公示", "内容", "2026-11-20"];
    let page = upload(&hub, &ops, "communities", "居务.xlsx", &workbook(&[("惠民政策", posts, &[benefit]), ("居村务公开事项", posts, &[phone, nowhere])])).body;
    assert!(page.contains("居村务公开事项!C2（内容）："), "{page}");
    assert!(page.contains("居村务公开事项!A3（社区（村））：居(村)务公开中没有社区（村）“不存在的社区”"), "{page}");
    assert!(!page.contains("name=\"digest\""), "{page}");
    // A sheet named for a table but without its header is not passed over.
    let finance_renamed: &[&str] = &["社区", "期间", "科目", "类型", "金额（元）"];
    let refused = upload(&hub, &ops, "communities", "居务.xlsx", &workbook(&[("惠民政策", posts, &[benefit]), ("财务公开", finance_renamed, &[&["清风社区", "2026年第四季度", "水费", "支出", "10"]])]));
    assert!(refused.status == 422 && refused.body.contains("工作表“财务公开”中没有找到表头：表格中应有一行列名：社区（村）、期间、科目、收支、金额（元）"), "{}", refused.body);
    // A post of the same title on another day is another post.
    let again: &[&str] = &["清风社区", "高龄津贴申领指南", "2027年高龄津贴申领时间为1月1日至3月31日。", "2026-11-21"];
    let page = upload(&hub, &ops, "communities", "居务.xlsx", &workbook(&[("惠民政策", posts, &[benefit, again])])).body;
    assert!(page.contains("工作表“惠民政策”：新增 <strong>2</strong> 条"), "{page}");
    assert_eq!(apply(&hub, &ops, "communities", &page).status, 303);
    let benefits = community("sq-qingfeng")["benefits"].as_array().unwrap().clone();
    assert_eq!(benefits[benefits.len() - 2]["title"], "2027年城乡居民医保缴费提醒");
    assert_eq!(benefits.len(), before["benefits"].as_array().unwrap().len() + 2);
    assert_eq!(benefits[0], before["benefits"][0], "the earlier post of that title is kept");

    // A list longer than a form edits comes in by import, and a form save keeps it whole.
    let mut long = String::from("社区,期间,科目,收支,金额（元）\n");
    for line in 0..2_100 {
        long.push_str(&format!("白鹭社区,2025年第{}季度,科目{line},支出,{line}\n", line % 4 + 1));
    }
    let page = upload(&hub, &ops, "communities", "财务公开.csv", long.as_bytes()).body;
    assert_eq!(apply(&hub, &ops, "communities", &page).status, 303, "{page}");
    let lines = |body: &serde_json::Value| body["finance"].as_array().unwrap().iter().map(|report| report["lines"].as_array().unwrap().len()).sum::<usize>();
    let imported = lines(&community("sq-bailu"));
    let form_page = http(&hub.url, "GET", "/content/communities/item?id=sq-bailu", &[("Cookie", ops.clone())], b"").body;
    assert!(form_page.contains(&format!("财务公开共 {imported} 行，超过表单可编辑的 2000 行")) && !form_page.contains("name=\"finance.0.subject\""), "{form_page}");
    let fields: Vec<(String, String)> = ["csrf", "key", "revision"].iter().map(|name| (name.to_string(), hidden_value(&form_page, name).unwrap_or_default())).chain([("name".to_string(), "白鹭社区（新）".to_string()), ("kind".into(), "社区".into()), ("street".into(), "清风街道".into())]).collect();
    let saved = post_form(&hub.url, "/content/communities/save", &ops, &fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect::<Vec<_>>());
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!((community("sq-bailu")["name"].as_str(), lines(&community("sq-bailu"))), (Some("白鹭社区（新）"), imported));

    let unnamed = upload(&hub, &ops, "communities", "表.xlsx", &workbook(&[("Sheet1", posts, &[benefit])]));
    assert_eq!(unnamed.status, 422);
    assert!(unnamed.body.contains("没有找到工作表：表格中应有名为“财务公开”“居(村)务公开事项”“惠民政策”的工作表"), "{}", unnamed.body);
}
