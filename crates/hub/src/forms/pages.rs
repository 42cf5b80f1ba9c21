//! The content of each form page: its subject, fields, prefilled answers and explanations.

use axum::http::StatusCode;
use chrono::NaiveDate;
use maud::{Markup, html};

use super::render::{FormView, OrganChoice};
use gongkai_core::content::model::ConsultationStatus;
use crate::{
    organs::Organs,
    published::PublishedContent,
    submissions::{deadline::{ANSWER_WORKING_DAYS, EXTENSION_WORKING_DAYS}, form::{Kind, fields_of}, store::Subject},
};

/// Why a form cannot be shown: a status, a title and a sentence for the visitor.
pub type Refused = (StatusCode, &'static str, String);

/// The form of `kind` about `subject_id` (a document for 申请, a consultation for feedback),
/// with no answers yet.
pub fn form_view(content: &PublishedContent, organs: &Organs, kind: Kind, subject_id: Option<&str>, today: NaiveDate) -> Result<FormView, Refused> {
    let mut values = Vec::new();
    let mut articles = Vec::new();
    let mut organ = None;
    let (subject, intro, action) = match kind {
        Kind::Apply => {
            let document = subject_id.and_then(|id| content.documents.get(id));
            if let Some(d) = document {
                values.push(("info_title".into(), d.title.clone()));
                if let Some(no) = &d.doc_no {
                    values.push(("info_doc_no".into(), no.clone()));
                }
                values.push((
                    "info_description".into(),
                    format!("发文机关：{}；索引号：{}；发布日期：{}", d.issuer, d.index_no, d.published_on),
                ));
            }
            organ = organ_choice(organs, document.map(|d| d.issuer.as_str()));
            let subject = document.map(|d| Subject { id: d.id.clone(), title: d.title.clone() });
            (subject, apply_intro(), "/f/apply".to_string())
        }
        Kind::Consultation => {
            let id = subject_id.unwrap_or_default();
            let Some(c) = content.consultations.get(id) else {
                return Err((StatusCode::NOT_FOUND, "没有找到该意见征集", "该意见征集不存在或已撤下，您可以提交意见建议。".into()));
            };
            match c.status_on(today) {
                ConsultationStatus::Open => {}
                ConsultationStatus::Upcoming => {
                    return Err((StatusCode::CONFLICT, "意见征集尚未开始", format!("《{}》将于 {} 开始征集意见。", c.title, c.open_on)));
                }
                ConsultationStatus::Closed => {
                    return Err((StatusCode::GONE, "意见征集已结束", format!("《{}》已于 {} 结束征集，感谢关注。", c.title, c.close_on)));
                }
            }
            articles = c.articles.iter().map(|a| a.no.clone()).collect();
            let days_left = (c.close_on - today).num_days();
            let intro = html! {
                p { (c.summary) }
                p { "征集截止：" (c.close_on) "（还有 " (days_left) " 天）。可对草案整体提出意见，也可逐条提出。" }
                details { summary { "查看草案全文" } @for a in &c.articles { p { strong { (a.no) } " " (a.text) } } }
            };
            (Some(Subject { id: c.id.clone(), title: c.title.clone() }), intro, format!("/f/consultation/{}", c.id))
        }
        Kind::Opinion => (
            None,
            html! { p { "欢迎对政务公开和政务服务提出意见建议。可以匿名提交；留下联系方式的，我们会在办结后联系您。" } },
            "/f/opinion".to_string(),
        ),
        Kind::Satisfaction => (
            None,
            html! { p { "请对本次在政务公开专区的体验打分，5 分为非常满意。" } },
            "/f/satisfaction".to_string(),
        ),
    };
    let hidden = subject.as_ref().filter(|_| kind == Kind::Apply).map(|s| ("doc", s.id.clone())).into_iter().collect();
    Ok(FormView {
        action,
        subject,
        intro,
        fields: fields_of(kind, &articles),
        values,
        errors: Vec::new(),
        notices: Vec::new(),
        via: None,
        hidden,
        organs: organ,
        submit_label: if kind == Kind::Apply { "提交申请" } else { "提交" },
    })
}

/// On a hub serving several organs, the choice of organ, set to the one that issued the
/// document applied about when it is listed; of a joint document, the first named, which led
/// its making (条例第十条第三款).
fn organ_choice(organs: &Organs, issuer: Option<&str>) -> Option<OrganChoice> {
    organs.several().then(|| {
        let leading = issuer.and_then(|names| names.split('、').next()).map(str::trim);
        let issuing = organs.all().iter().find(|organ| Some(organ.details.name.as_str()) == leading);
        OrganChoice {
            options: organs.all().iter().map(|organ| (organ.id.clone(), organ.details.name.clone())).collect(),
            chosen: issuing.unwrap_or_else(|| organs.receiving()).id.clone(),
        }
    })
}

fn apply_intro() -> Markup {
    html! {
        p { "依据《中华人民共和国政府信息公开条例》第二十九条，请填写申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征描述，以及信息的提供形式和获取方式。" }
        p {
            "办理时限：能够当场答复的当场答复；不能当场答复的，自收到申请之日起 "
            (ANSWER_WORKING_DAYS) " 个工作日内答复；需要延长的，经负责人同意并告知申请人，延长期限最长不超过 "
            (EXTENSION_WORKING_DAYS) " 个工作日（条例第三十三条）。申请内容不明确的，我们会一次性告知补正，答复期限自收到补正后的申请之日起计算（第三十条）；征求第三方和其他机关意见的时间不计入期限（第三十三条第二款）。"
        }
        p { "提交后页面会显示查询码，请记下，凭查询码可随时查看办理进度。" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organs(names: &[(&str, &str)]) -> Organs {
        Organs::parse(&crate::organs::listing(names), "organs.toml").unwrap()
    }

    #[test]
    fn the_organ_that_issued_the_document_is_preselected_else_the_receiving_one() {
        let two = organs(&[("main", "云溪区人民政府办公室"), ("hr", "云溪区人力资源和社会保障局")]);
        let chosen = |issuer: Option<&str>| organ_choice(&two, issuer).map(|choice| choice.chosen);
        assert_eq!(chosen(Some("云溪区人力资源和社会保障局")).as_deref(), Some("hr"));
        assert_eq!(chosen(Some("云溪区人力资源和社会保障局、云溪区财政局")).as_deref(), Some("hr"), "a joint document: the organ that led it");
        assert_eq!(chosen(Some("云溪区财政局、云溪区人力资源和社会保障局")).as_deref(), Some("main"), "led by an organ not listed");
        assert_eq!(chosen(None).as_deref(), Some("main"));
        let options = organ_choice(&two, None).unwrap().options;
        assert_eq!(options[0], ("main".to_string(), "云溪区人民政府办公室".to_string()), "the receiving organ first");
        assert!(organ_choice(&organs(&[("main", "云溪区人民政府办公室")]), Some("云溪区人民政府办公室")).is_none(), "no choice on a hub of one organ");
    }
}
