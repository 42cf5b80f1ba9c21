use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One 政策解读, published with and linked to its document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interpretation {
    pub id: String,
    /// Id of the interpreted document.
    pub document: String,
    pub title: String,
    /// 解读机关 or author.
    pub author: String,
    pub published_on: NaiveDate,
    /// 文字解读; paragraphs separated by `\n`.
    #[serde(default)]
    pub text: String,
    /// 问答.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qa: Vec<QuestionAnswer>,
    /// 图解 images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Illustration>,
}

impl Interpretation {
    /// A 图解 is an interpretation told mainly through images.
    pub fn is_illustrated(&self) -> bool {
        !self.images.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionAnswer {
    pub q: String,
    pub a: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Illustration {
    /// Bundle path of a PNG or JPEG image.
    pub file: String,
    pub caption: String,
}
