//! The markup of a form: fields from `submissions::form`, the visitor's answers kept, every
//! problem listed at the top and under its field.

use maud::{Markup, html};

use crate::submissions::{form::{Field, FieldError, Input}, store::Subject};

/// A form as it is about to be shown.
pub struct FormView {
    /// Where it posts.
    pub action: String,
    pub subject: Option<Subject>,
    /// Explanations above the fields (time limits, what happens next).
    pub intro: Markup,
    pub fields: Vec<Field>,
    /// Prefilled or previously typed answers.
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
    /// Plain notices: an expired QR link, too many submissions.
    pub notices: Vec<String>,
    /// The handoff link the visitor came by, carried to the submission.
    pub via: Option<String>,
    /// Hidden fields the submission needs besides the answers.
    pub hidden: Vec<(&'static str, String)>,
    /// The organs an application can be sent to, on a hub serving several.
    pub organs: Option<OrganChoice>,
    pub submit_label: &'static str,
}

/// The organ an application is sent to (条例第十条: the organ that made or keeps the
/// information discloses it); the first listed receives it when the applicant does not know,
/// and hands it on.
pub struct OrganChoice {
    /// Each organ's id and name, the receiving one first.
    pub options: Vec<(String, String)>,
    pub chosen: String,
}

/// The field an `OrganChoice` is posted as.
pub const ORGAN_FIELD: &str = "organ";

/// Choices with more options than this are a drop-down; fewer are large radio buttons.
const MAX_RADIOS: usize = 5;

pub fn form(view: &FormView) -> Markup {
    let value = |name: &str| view.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    let error = |name: &str| view.errors.iter().find(|e| e.field == name).map(|e| e.message.as_str());
    html! {
        @for notice in &view.notices { div class="notice" role="status" { (notice) } }
        @if !view.errors.is_empty() {
            div class="errors" role="alert" {
                strong { "请修改以下内容后再提交：" }
                ul { @for e in &view.errors { li { a href={ "#" (e.field) } { (e.message) } } } }
            }
        }
        @if let Some(subject) = &view.subject {
            div class="card" { "关于：" strong { (subject.title) } }
        }
        div class="card" { (view.intro) }
        form class="card" method="post" action=(view.action) accept-charset="utf-8" {
            @for (name, value) in &view.hidden { input type="hidden" name=(name) value=(value); }
            @if let Some(via) = &view.via { input type="hidden" name="via" value=(via); }
            @if let Some(organs) = &view.organs { (organ_markup(organs, error(ORGAN_FIELD))) }
            @for field in &view.fields { (field_markup(field, value(&field.name), error(&field.name))) }
            div class="trap" aria-hidden="true" {
                label { "请勿填写此项" input type="text" name="website" tabindex="-1" autocomplete="off"; }
            }
            button class="submit" type="submit" { (view.submit_label) }
        }
    }
}

fn organ_markup(organs: &OrganChoice, error: Option<&str>) -> Markup {
    let receiving = organs.options.first().map(|(_, name)| name.as_str()).unwrap_or_default();
    html! {
        label for=(ORGAN_FIELD) {
            "向哪个机关申请 （必填）"
            span class="hint" { "不清楚由哪个机关负责的，请选择" (receiving) "，由其转交负责的机关办理。" }
            @if let Some(message) = error { span class="hint field-error" { (message) } }
        }
        select id=(ORGAN_FIELD) name=(ORGAN_FIELD) class=(if error.is_some() { "invalid" } else { "" }) required {
            @for (id, name) in &organs.options { option value=(id) selected[*id == organs.chosen] { (name) } }
        }
    }
}

fn field_markup(field: &Field, value: &str, error: Option<&str>) -> Markup {
    let class = if error.is_some() { "invalid" } else { "" };
    let label = html! {
        (field.label)
        @if field.required { " （必填）" }
        @if !field.hint.is_empty() { span class="hint" { (field.hint) } }
        @if let Some(message) = error { span class="hint field-error" { (message) } }
    };
    match field.input {
        Input::Choice(options) if options.len() <= MAX_RADIOS => html! {
            fieldset id=(field.name) {
                legend { (label) }
                @for option in options {
                    label class="choice" {
                        input type="radio" name=(field.name) value=(option) checked[value == *option] required[field.required];
                        (option)
                    }
                }
            }
        },
        Input::Choice(options) => html! {
            label for=(field.name) { (label) }
            select id=(field.name) name=(field.name) class=(class) required[field.required] {
                option value="" { "请选择" }
                @for option in options { option value=(option) selected[value == *option] { (option) } }
            }
        },
        Input::Text => html! {
            label for=(field.name) { (label) }
            textarea id=(field.name) name=(field.name) class=(class) maxlength=(field.max_chars) required[field.required] { (value) }
        },
        _ => {
            let (kind, mode) = match field.input {
                Input::Phone => ("tel", "tel"),
                Input::Email => ("email", "email"),
                Input::Postcode => ("text", "numeric"),
                Input::Date => ("date", "numeric"),
                _ => ("text", "text"),
            };
            html! {
                label for=(field.name) { (label) }
                input id=(field.name) type=(kind) inputmode=(mode) name=(field.name) value=(value) class=(class)
                    maxlength=(field.max_chars) required[field.required];
            }
        }
    }
}
