use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// One 通知公告.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub id: String,
    pub title: String,
    pub body: String,
    pub issuer: String,
    pub level: NoticeLevel,
    /// Hall local time, `YYYY-MM-DDTHH:MM:SS`.
    pub published_at: NaiveDateTime,
    /// After this moment the notice is no longer shown. Required for 紧急 notices, which
    /// take over LED walls until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeLevel {
    #[serde(rename = "普通")]
    Normal,
    #[serde(rename = "紧急")]
    Urgent,
}

impl Notice {
    /// The title as lists show it: an urgent notice says so first.
    pub fn display_title(&self) -> String {
        if self.level == NoticeLevel::Urgent { format!("【紧急】{}", self.title) } else { self.title.clone() }
    }

    pub fn is_active_at(&self, now: NaiveDateTime) -> bool {
        self.published_at <= now && self.expires_at.is_none_or(|end| now < end)
    }
}
