//! The tables staff import and the forms they edit: for each kind, its columns as the template
//! heads them (and the form labels them), the field each fills, what the cell must hold, and
//! the example row the template shows.

use gongkai_core::content::workspace::Kind;

/// What a column's cells hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Text,
    /// An item's key: full-width letters and spaces are taken as what was meant.
    Key,
    Number,
    /// A number of cases: a whole number, never negative.
    Count,
    Date,
    /// A date and a time of day, `YYYY-MM-DDTHH:MM:SS`.
    DateTime,
    /// `YYYY-MM`.
    Month,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A department of the site, by name or id.
    Department,
    /// Departments, separated by 、 or commas.
    Departments,
    /// A domain of the catalogue, by name or id.
    Domain,
    /// A community or village of 居(村)务公开, by name or id.
    Community,
    /// A list of texts, one a line of the cell.
    Lines,
    /// 申请材料, one a line: `名称：份数`.
    Materials,
}

#[derive(Debug)]
pub struct Column {
    /// The header the template writes.
    pub label: &'static str,
    /// Other headers taken for it.
    pub aliases: &'static [&'static str],
    /// The item's field, `party.name` for a field within a field.
    pub field: &'static str,
    pub form: Form,
    pub required: bool,
    /// The template's example; a department column's example is the site's first department.
    pub example: &'static str,
}

#[derive(Debug)]
pub struct Table {
    pub kind: Kind,
    pub columns: &'static [Column],
    /// The lists within an item, edited in its form only.
    pub lists: &'static [List],
    /// Objects (`feedback`) left out of the item when all their fields are blank.
    pub optional_objects: &'static [&'static str],
}

/// A list within an item (问答, 条文, 部门): rows of columns, each row an object of the list.
#[derive(Debug)]
pub struct List {
    pub label: &'static str,
    /// The item's field that holds the list, `requests.outcomes` for one within a field.
    pub field: &'static str,
    /// Rows kept in groups, `(the column that names a group, the group's field for its rows)`:
    /// 财务公开 is a list of periods, each with its lines, edited as one row a line.
    pub group: Option<(&'static str, &'static str)>,
    pub columns: &'static [Column],
}

impl Table {
    const fn of(kind: Kind, columns: &'static [Column]) -> Self {
        Table { kind, columns, lists: &[], optional_objects: &[] }
    }

    /// The columns that make an item's key.
    pub fn key_columns(&self) -> impl Iterator<Item = (usize, &Column)> {
        self.columns.iter().enumerate().filter(move |(_, c)| key_fields(self.kind).contains(&c.field))
    }

    /// The column that fills `field`, or the field it lies within.
    pub fn column_of(&self, field: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.field == field).or_else(|| self.columns.iter().position(|c| field.starts_with(&format!("{}.", c.field))))
    }
}

fn key_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::AdminMonthly => &["department", "month"],
        Kind::DisclosureStats => &["year"],
        Kind::Site => &[],
        _ => &["id"],
    }
}

const fn column(label: &'static str, field: &'static str, form: Form, example: &'static str) -> Column {
    Column { label, aliases: &[], field, form, required: true, example }
}

const fn optional(label: &'static str, field: &'static str, form: Form, example: &'static str) -> Column {
    Column { label, aliases: &[], field, form, required: false, example }
}

const fn also(mut column: Column, aliases: &'static [&'static str]) -> Column {
    column.aliases = aliases;
    column
}

const KEY_WORK_STATUS: &[&str] = &["未开始", "推进中", "已完成", "滞后"];
const ADMIN_KINDS: &[&str] = &["许可", "处罚", "强制", "征收", "给付", "确认", "奖励", "裁决", "其他"];
const PARTY_TYPES: &[&str] = &["自然人", "法人", "非法人组织", "个体工商户"];

pub const KEY_WORK: Table = Table::of(
    Kind::KeyWork,
    &[
        also(column("编号", "id", Form::Key, "kw-2026-01"), &["任务编号"]),
        also(column("类别", "category", Form::Text, "民生实事"), &["任务类别"]),
        also(column("任务名称", "title", Form::Text, "新建城区公办幼儿园3所"), &["标题", "名称", "重点工作"]),
        column("牵头单位", "lead", Form::Department, ""),
        optional("配合单位", "co", Form::Departments, ""),
        also(column("目标任务", "target", Form::Text, "年底前建成并开园，新增学位1080个"), &["目标"]),
        also(column("完成进度（%）", "progress", Form::Number, "60"), &["完成进度", "进度"]),
        also(column("状态", "status", Form::Choice(KEY_WORK_STATUS), "推进中"), &["进展状态"]),
        column("更新日期", "updated_on", Form::Date, "2026-11-30"),
    ],
);

pub const ADMIN_RECORDS: Table = Table::of(
    Kind::AdminRecords,
    &[
        column("编号", "id", Form::Key, "ar-2026-0001"),
        also(column("权力类型", "kind", Form::Choice(ADMIN_KINDS), "许可"), &["类型", "类别"]),
        also(column("决定文书号", "decision_no", Form::Text, "云市监许〔2026〕101号"), &["文书号", "决定书文号"]),
        column("相对人类型", "party.type", Form::Choice(PARTY_TYPES), "法人"),
        also(column("行政相对人", "party.name", Form::Text, "云溪区某某餐饮有限公司"), &["相对人名称", "相对人"]),
        also(column("事项", "matter", Form::Text, "食品经营许可"), &["案由", "事项名称"]),
        also(column("处理结果", "result", Form::Text, "准予许可"), &["决定内容", "结果"]),
        also(column("决定日期", "decided_on", Form::Date, "2026-11-20"), &["作出决定日期"]),
        also(column("决定机关", "authority", Form::Department, ""), &["实施机关", "作出决定机关"]),
    ],
);

pub const ADMIN_MONTHLY: Table = Table::of(
    Kind::AdminMonthly,
    &[
        column("部门", "department", Form::Department, ""),
        column("月份", "month", Form::Month, "2026-11"),
        optional("许可", "counts.许可", Form::Count, "12"),
        optional("处罚", "counts.处罚", Form::Count, "3"),
        optional("强制", "counts.强制", Form::Count, ""),
        optional("征收", "counts.征收", Form::Count, ""),
        optional("给付", "counts.给付", Form::Count, ""),
        optional("确认", "counts.确认", Form::Count, ""),
        optional("奖励", "counts.奖励", Form::Count, ""),
        optional("裁决", "counts.裁决", Form::Count, ""),
        optional("其他", "counts.其他", Form::Count, "5"),
        also(column("按时办结率（%）", "on_time_rate", Form::Number, "99.5"), &["按时办结率"]),
        also(column("满意度（%）", "satisfaction", Form::Number, "98.7"), &["满意度"]),
    ],
);

/// 政府信息: a catalogue of documents (目录), each with its 正文.
pub const DOCUMENTS: Table = Table::of(
    Kind::Documents,
    &[
        column("编号", "id", Form::Key, "doc-2026-001"),
        also(column("标题", "title", Form::Text, "关于印发《云溪区2026年政务公开工作要点》的通知"), &["文件标题", "名称"]),
        column("索引号", "index_no", Form::Text, "11360402MB1234567X/2026-00001"),
        also(optional("文号", "doc_no", Form::Text, "云府办发〔2026〕1号"), &["发文字号"]),
        also(column("发文机关", "issuer", Form::Text, "云溪区人民政府办公室"), &["发布机构"]),
        column("成文日期", "written_on", Form::Date, "2026-03-02"),
        also(column("发布日期", "published_on", Form::Date, "2026-03-05"), &["公开日期"]),
        also(column("主题分类", "topic", Form::Text, "综合政务"), &["主题"]),
        also(optional("所属领域", "domain", Form::Domain, ""), &["领域"]),
        column("公开属性", "disclosure", Form::Choice(&["主动公开", "依申请公开", "不予公开"]), "主动公开"),
        column("有效性", "validity", Form::Choice(&["有效", "失效", "废止"]), "有效"),
        also(optional("废止或失效日期", "repealed_on", Form::Date, ""), &["废止日期", "失效日期"]),
        optional("文件类别", "category", Form::Choice(&["规章", "行政规范性文件"]), "行政规范性文件"),
        also(column("正文", "body", Form::Text, "各镇人民政府、街道办事处，区直各单位：……"), &["内容"]),
    ],
);

/// 办事指南: one service a row; conditions, materials and steps one a line of their cell.
pub const SERVICE_GUIDES: Table = Table::of(
    Kind::ServiceGuides,
    &[
        column("编号", "id", Form::Key, "bs-101"),
        also(column("事项名称", "title", Form::Text, "城乡居民基本养老保险参保登记"), &["标题", "名称", "服务事项"]),
        also(column("实施部门", "department", Form::Department, ""), &["办理部门", "部门"]),
        also(optional("所属领域", "domain", Form::Domain, ""), &["领域"]),
        column("办理条件", "conditions", Form::Lines, "年满16周岁\n具有本区户籍"),
        column("申请材料", "materials", Form::Materials, "居民身份证：原件1份\n户口簿：原件1份"),
        also(column("办理流程", "steps", Form::Lines, "提交申请\n窗口受理\n办结"), &["办理程序"]),
        also(column("办理时限", "time_limit", Form::Text, "即来即办"), &["承诺时限"]),
        column("收费标准", "fee", Form::Text, "不收费"),
        also(column("办理窗口", "window", Form::Text, "区政务服务中心二楼B区5号窗口"), &["办理地点"]),
        column("咨询电话", "phone", Form::Text, "0794-8261135"),
        also(optional("网上办理地址", "online_url", Form::Text, ""), &["网上办理"]),
    ],
);

/// 通知公告, 紧急 ones included.
pub const NOTICES: Table = Table::of(
    Kind::Notices,
    &[
        column("编号", "id", Form::Key, "tz-2026-101"),
        column("标题", "title", Form::Text, "关于元旦假期服务大厅办公时间调整的通知"),
        also(column("发布单位", "issuer", Form::Text, "区政务服务中心"), &["发布机关"]),
        column("级别", "level", Form::Choice(&["普通", "紧急"]), "普通"),
        column("发布时间", "published_at", Form::DateTime, "2026-12-01 09:00"),
        also(optional("截止时间", "expires_at", Form::DateTime, ""), &["有效期至"]),
        also(column("正文", "body", Form::Text, "元旦假期（1月1日至3日）服务大厅暂停办公，网上办理不受影响。"), &["内容"]),
    ],
);

/// The site: its names, its hall, its departments and the hot searches the kiosk offers.
pub const SITE: Table = Table {
    columns: &[
        column("区县名称", "district", Form::Text, ""),
        column("政务公开办", "office", Form::Text, ""),
        column("政务服务中心", "hall", Form::Text, ""),
        column("地址", "address", Form::Text, ""),
        column("办公时间", "hours", Form::Text, ""),
        column("咨询电话", "hotline", Form::Text, ""),
        optional("热门搜索", "hot_searches", Form::Lines, ""),
    ],
    lists: &[List { label: "部门", field: "departments", group: None, columns: &[column("部门编号", "id", Form::Key, ""), column("部门名称", "name", Form::Text, "")] }],
    ..Table::of(Kind::Site, &[])
};

/// The 公开事项 of a domain, with the catalogue's standard elements.
const DOMAIN_ITEMS: List = List {
    label: "公开事项",
    field: "items",
    group: None,
    columns: &[
        column("事项编号", "id", Form::Key, "cxgh-09"),
        column("一级事项", "level1", Form::Text, "城乡规划编制"),
        column("二级事项", "level2", Form::Text, "控制性详细规划"),
        column("公开内容（要素）", "content", Form::Text, "经批准的规划文本及图件"),
        column("公开依据", "basis", Form::Text, "《中华人民共和国城乡规划法》第八条"),
        column("公开时限", "time_limit", Form::Text, "自批准之日起20个工作日内"),
        column("公开主体", "subject", Form::Text, "区自然资源局"),
        column("公开渠道和载体（一行一个）", "channels", Form::Lines, "政府网站\n政务公开专区"),
        column("公开对象", "audience", Form::Choice(&["全社会", "特定群体"]), "全社会"),
        column("公开方式", "mode", Form::Choice(&["主动", "依申请"]), "主动"),
        column("公开层级（一行一个）", "levels", Form::Lines, "区级"),
        optional("相关文件编号（一行一个）", "documents", Form::Lines, ""),
    ],
};

/// A domain of the 公开目录 with its 公开事项.
pub const DOMAINS: Table = Table {
    lists: &[DOMAIN_ITEMS],
    ..Table::of(Kind::Domains, &[column("领域编号", "id", Form::Key, ""), column("领域名称", "name", Form::Text, "")])
};

const POST_COLUMNS: &[Column] = &[column("标题", "title", Form::Text, "2026年低保对象公示"), column("内容", "body", Form::Text, "经入户调查、民主评议，拟将下列家庭纳入最低生活保障……"), column("发布日期", "published_on", Form::Date, "2026-11-20")];

/// 政策解读: its text and 问答 (its 图解 images are uploaded on its page).
pub const INTERPRETATIONS: Table = Table {
    lists: &[List { label: "问答", field: "qa", group: None, columns: &[column("问", "q", Form::Text, ""), column("答", "a", Form::Text, "")] }],
    ..Table::of(
        Kind::Interpretations,
        &[
            column("编号", "id", Form::Key, ""),
            column("标题", "title", Form::Text, ""),
            column("解读的文件（编号）", "document", Form::Text, ""),
            column("解读机关", "author", Form::Text, ""),
            column("发布日期", "published_on", Form::Date, ""),
            optional("文字解读", "text", Form::Text, ""),
        ],
    )
};

const COUNT_BY_KIND: &[Column] = &[column("类别", "kind", Form::Text, ""), column("件数", "count", Form::Count, "")];

/// A year of 政务公开 statistics, as the wall's 政务公开现状 shows them.
pub const DISCLOSURE_STATS: Table = Table {
    lists: &[
        List { label: "主动公开", field: "proactive", group: None, columns: COUNT_BY_KIND },
        List { label: "依申请公开办理结果", field: "requests.outcomes", group: None, columns: COUNT_BY_KIND },
    ],
    ..Table::of(
        Kind::DisclosureStats,
        &[
            column("年度", "year", Form::Count, ""),
            column("本年新收申请", "requests.received", Form::Count, ""),
            column("上年结转", "requests.carried_over", Form::Count, ""),
            column("结转下年度", "requests.carried_forward", Form::Count, ""),
            column("行政复议：维持", "reviews.upheld", Form::Count, ""),
            column("行政复议：纠正", "reviews.corrected", Form::Count, ""),
            column("行政复议：其他结果", "reviews.other", Form::Count, ""),
            column("行政复议：尚未审结", "reviews.pending", Form::Count, ""),
            column("行政诉讼：维持", "lawsuits.upheld", Form::Count, ""),
            column("行政诉讼：纠正", "lawsuits.corrected", Form::Count, ""),
            column("行政诉讼：其他结果", "lawsuits.other", Form::Count, ""),
            column("行政诉讼：尚未审结", "lawsuits.pending", Form::Count, ""),
        ],
    )
};

/// 意见征集: the draft article by article, and 意见采纳情况 once it has closed.
pub const CONSULTATIONS: Table = Table {
    lists: &[List { label: "征求意见稿条文", field: "articles", group: None, columns: &[column("条号", "no", Form::Text, ""), column("条文", "text", Form::Text, "")] }],
    optional_objects: &["feedback"],
    ..Table::of(
        Kind::Consultations,
        &[
            column("编号", "id", Form::Key, ""),
            column("标题", "title", Form::Text, ""),
            column("征集部门", "department", Form::Department, ""),
            column("起草说明", "summary", Form::Text, ""),
            column("开始日期", "open_on", Form::Date, ""),
            column("截止日期", "close_on", Form::Date, ""),
            optional("采纳情况：发布日期", "feedback.published_on", Form::Date, ""),
            optional("采纳情况：收到意见（条）", "feedback.received", Form::Count, ""),
            optional("采纳情况：采纳（条）", "feedback.adopted", Form::Count, ""),
            optional("采纳情况：说明", "feedback.summary", Form::Text, ""),
        ],
    )
};

/// 财务公开: a list of periods, each with its lines, edited and imported one line a row.
const FINANCE: List = List {
    label: "财务公开",
    field: "finance",
    group: Some(("period", "lines")),
    columns: &[
        column("期间", "period", Form::Text, "2026年第四季度"),
        column("科目", "subject", Form::Text, "上级拨付社区工作经费"),
        column("收支", "flow", Form::Choice(&["收入", "支出"]), "收入"),
        column("金额（元）", "amount", Form::Number, "30000"),
    ],
};
const AFFAIRS: List = List { label: "居(村)务公开事项", field: "affairs", group: None, columns: POST_COLUMNS };
const BENEFITS: List = List { label: "惠民政策", field: "benefits", group: None, columns: POST_COLUMNS };

/// 居(村)务公开 of one community or village: 财务公开 one line a row, the affairs and 惠民政策.
pub const COMMUNITIES: Table = Table {
    lists: &[FINANCE, AFFAIRS, BENEFITS],
    ..Table::of(
        Kind::Communities,
        &[
            column("编号", "id", Form::Key, ""),
            column("名称", "name", Form::Text, ""),
            column("类别", "kind", Form::Choice(&["社区", "村"]), ""),
            column("所属街道（乡镇）", "street", Form::Text, ""),
        ],
    )
};

/// Rows of a list within items, imported one a row: each row names the item it belongs to
/// in its first column, and the row's `key` fields tell it apart within the item.
#[derive(Debug)]
pub struct RowTable {
    pub parent: Kind,
    pub list: &'static List,
    pub owner: Column,
    /// A row of the sheet with the same owner and key changes the item's row; others are added.
    pub key: &'static [&'static str],
    /// Keys are unique in all items, not only within one (公开事项 编号 in the catalogue).
    pub unique_everywhere: bool,
    /// Rows may share a key (two payments of one 科目 in a period): the n-th sheet row with a
    /// key changes the n-th row of the item with it.
    pub repeats: bool,
}

impl RowTable {
    /// The sheet's columns: the owner's, then the list's.
    pub fn columns(&self) -> Vec<&Column> {
        std::iter::once(&self.owner).chain(self.list.columns).collect()
    }

    /// The columns (of `columns()`) that tell a row apart.
    pub fn key_columns(&self) -> Vec<usize> {
        std::iter::once(0).chain(self.key.iter().filter_map(|field| self.list.columns.iter().position(|c| c.field == *field).map(|at| at + 1))).collect()
    }
}

const COMMUNITY: Column = also(column("社区（村）", "community", Form::Community, ""), &["社区", "村", "社区名称", "村名称"]);

/// 公开事项 of the catalogue, each row naming its domain.
pub const CATALOGUE_ITEMS: [RowTable; 1] =
    [RowTable { parent: Kind::Domains, list: &DOMAIN_ITEMS, owner: also(column("所属领域", "domain", Form::Domain, ""), &["领域", "领域名称"]), key: &["id"], unique_everywhere: true, repeats: false }];

/// 居(村)务公开 tables, one a sheet named as the list: 财务公开, 居(村)务公开事项, 惠民政策.
pub const COMMUNITY_TABLES: [RowTable; 3] = [
    RowTable { parent: Kind::Communities, list: &FINANCE, owner: COMMUNITY, key: &["period", "subject", "flow"], unique_everywhere: false, repeats: true },
    // A notice posted every month (低保对象公示) is a new post each month.
    RowTable { parent: Kind::Communities, list: &AFFAIRS, owner: COMMUNITY, key: &["title", "published_on"], unique_everywhere: false, repeats: false },
    RowTable { parent: Kind::Communities, list: &BENEFITS, owner: COMMUNITY, key: &["title", "published_on"], unique_everywhere: false, repeats: false },
];

/// What a kind's spreadsheet holds: one item a row, or rows of lists within its items.
#[derive(Debug, Clone, Copy)]
pub enum Import {
    Items(&'static Table),
    Rows(&'static [RowTable]),
}

impl Import {
    /// The sheets of its template, each with its name and columns.
    pub fn sheets(self) -> Vec<(String, Vec<&'static Column>)> {
        match self {
            Import::Items(table) => vec![(table.kind.label().replace(['(', ')', '（', '）'], ""), table.columns.iter().collect())],
            Import::Rows(tables) => tables.iter().map(|table| (table.list.label.to_string(), table.columns())).collect(),
        }
    }

    /// How a row finds what it changes, as the upload page and the template say it.
    pub fn matching(self) -> String {
        match self {
            Import::Items(_) => "编号相同的行修改已有内容，新编号的行新增内容".into(),
            Import::Rows(tables) => {
                let table = |table: &RowTable| {
                    let columns = table.columns();
                    let keys: Vec<&str> = table.key_columns().into_iter().map(|at| columns[at].label).collect();
                    format!("“{}”中{}都相同的行修改已有的一行，其余的行新增", table.list.label, keys.join("、"))
                };
                tables.iter().map(table).collect::<Vec<_>>().join("；")
            }
        }
    }
}

/// The kinds that can be imported from a spreadsheet (and edited in a form).
const TABLES: [&Table; 6] = [&DOCUMENTS, &KEY_WORK, &ADMIN_RECORDS, &ADMIN_MONTHLY, &SERVICE_GUIDES, &NOTICES];

/// The kinds edited in a form only.
const FORM_ONLY: [&Table; 6] = [&SITE, &DOMAINS, &INTERPRETATIONS, &DISCLOSURE_STATS, &CONSULTATIONS, &COMMUNITIES];

/// How a spreadsheet of `kind` is read.
pub fn import(kind: Kind) -> Option<Import> {
    match kind {
        Kind::Domains => Some(Import::Rows(&CATALOGUE_ITEMS)),
        Kind::Communities => Some(Import::Rows(&COMMUNITY_TABLES)),
        _ => TABLES.into_iter().find(|t| t.kind == kind).map(Import::Items),
    }
}

/// The table a form of `kind` is read by.
pub fn form_table(kind: Kind) -> Option<&'static Table> {
    TABLES.into_iter().chain(FORM_ONLY).find(|t| t.kind == kind)
}
