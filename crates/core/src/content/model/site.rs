use serde::{Deserialize, Serialize};

/// `site.json`: who runs the screens and where.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// 区县名称, e.g. 云溪区.
    pub district: String,
    /// 政务公开主管部门.
    pub office: String,
    /// 服务大厅名称.
    pub hall: String,
    pub address: String,
    /// 办公时间.
    pub hours: String,
    /// 咨询电话.
    pub hotline: String,
    /// Bundle path of the logo image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Shown on every screen when set, e.g. 示例数据 for demo content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_label: Option<String>,
    /// The day demo content was written as of. Set only in demo bundles: they are checked as
    /// of that day, and their notices and consultations move forward with the calendar (see
    /// `content::living_demo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_as_of: Option<chrono::NaiveDate>,
    /// 热门搜索 offered on the empty search screen, in this order. When there are none, the
    /// kiosk offers what visitors searched most on it today.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hot_searches: Vec<String>,
    /// Departments that other content refers to by id.
    pub departments: Vec<Department>,
}

impl Site {
    /// A department's name by its id (the id itself if unknown, which the checker prevents).
    pub fn department_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.departments.iter().find(|d| d.id == id).map_or(id, |d| d.name.as_str())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: String,
    pub name: String,
}
