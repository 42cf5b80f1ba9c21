use serde::{Deserialize, Serialize};

/// `catalogue.json`: the 基层政务公开标准目录, one entry per 领域.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    /// 领域名称, e.g. 城乡规划.
    pub name: String,
    pub items: Vec<CatalogueItem>,
}

/// One 公开事项 with its standard elements.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueItem {
    pub id: String,
    /// 公开事项（一级事项）.
    pub level1: String,
    /// 公开事项（二级事项）.
    pub level2: String,
    /// 公开内容（要素）.
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// 公开时限.
    pub time_limit: String,
    /// 公开主体.
    pub subject: String,
    /// 公开渠道和载体.
    pub channels: Vec<String>,
    /// 公开对象.
    pub audience: Audience,
    /// 公开方式.
    pub mode: DisclosureMode,
    /// 公开层级, e.g. 区级, 乡镇（街道）.
    pub levels: Vec<String>,
    /// Ids of documents published under this item.
    #[serde(default)]
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    #[serde(rename = "全社会")]
    Public,
    #[serde(rename = "特定群体")]
    SpecificGroup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisclosureMode {
    #[serde(rename = "主动")]
    Proactive,
    #[serde(rename = "依申请")]
    OnRequest,
}

/// The 26 domains of the national 基层政务公开标准目录 (ids as used in the demo content).
pub const STANDARD_DOMAINS: [(&str, &str); 26] = [
    ("cxgh", "城乡规划"),
    ("zdjsxm", "重大建设项目"),
    ("ggzyjy", "公共资源交易"),
    ("czyjs", "财政预决算"),
    ("aqsc", "安全生产"),
    ("ssgl", "税收管理"),
    ("zdbc", "征地补偿"),
    ("fwzs", "国有土地上房屋征收与补偿"),
    ("bzxzf", "保障性住房"),
    ("ncwfgz", "农村危房改造"),
    ("sthj", "生态环境"),
    ("ggwhfw", "公共文化服务"),
    ("ggflfw", "公共法律服务"),
    ("fp", "扶贫"),
    ("jz", "救灾"),
    ("spypjg", "食品药品监管"),
    ("cszhzf", "城市综合执法"),
    ("jy", "就业"),
    ("shbx", "社会保险"),
    ("shjz", "社会救助"),
    ("ylfw", "养老服务"),
    ("hjgl", "户籍管理"),
    ("snbt", "涉农补贴"),
    ("ywjy", "义务教育"),
    ("wsjk", "卫生健康"),
    ("szfw", "市政服务"),
];
