use serde::{Deserialize, Serialize};

/// One 办事指南 (service guide).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceGuide {
    pub id: String,
    pub title: String,
    /// Responsible department (department id).
    pub department: String,
    /// Catalogue domain id, when the service belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// 办理条件.
    pub conditions: Vec<String>,
    /// 申请材料.
    pub materials: Vec<Material>,
    /// 办理流程.
    pub steps: Vec<String>,
    /// 办理时限.
    pub time_limit: String,
    /// 收费标准.
    pub fee: String,
    /// 办理窗口.
    pub window: String,
    /// 咨询电话.
    pub phone: String,
    /// 网上办理 address, opened on the visitor's phone by QR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub name: String,
    /// e.g. 原件1份、复印件1份.
    pub copies: String,
}
