//! The HTML shell of every page the hub serves: mobile-first, no scripts, no external fonts
//! or stylesheets (a phone's in-app browser in a service hall may reach nothing but the hub).
//! Pages are written with maud, which escapes every interpolated value.

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The one stylesheet, inline; the Content-Security-Policy names its hash.
pub const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:17px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b1b1b;background:#f4f5f7}
header{background:#b3131b;color:#fff;padding:.8rem 1rem}
header .office{font-size:.85rem;opacity:.9}
header h1{margin:.1rem 0 0;font-size:1.3rem;line-height:1.35}
main{max-width:44rem;margin:0 auto;padding:1rem}
footer{max-width:44rem;margin:0 auto;padding:1rem;color:#555;font-size:.9rem}
a{color:#0b4f9c}
.card{background:#fff;border-radius:10px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.card>:first-child,dl>dt:first-child{margin-top:0}.card>:last-child{margin-bottom:0}
.notice{background:#fff4d6;border-left:5px solid #b27b00;padding:.8rem 1rem;margin:0 0 1rem;border-radius:6px}
.errors{background:#fde8e8;border-left:5px solid #b3131b;padding:.8rem 1rem;margin:0 0 1rem;border-radius:6px}
.errors li{margin:.2rem 0}
.ok{background:#e5f5ea;border-left:5px solid #1d7a3a;padding:.8rem 1rem;margin:0 0 1rem;border-radius:6px}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
.hint{display:block;font-weight:normal;color:#555;font-size:.9rem}
input[type=text],input[type=tel],input[type=email],input[type=password],input[type=date],input[type=datetime-local],select,textarea{width:100%;font:inherit;padding:.7rem;border:1px solid #8a8f98;border-radius:8px;background:#fff;min-height:48px}
textarea{min-height:8rem}
.invalid{border-color:#b3131b!important;border-width:2px!important}
fieldset{border:0;padding:0;margin:1rem 0 0}
legend{font-weight:600;padding:0;margin-bottom:.3rem}
.choice{display:flex;align-items:center;gap:.6rem;font-weight:normal;margin:.2rem 0;min-height:48px;padding:.2rem .6rem;border:1px solid #ccd;border-radius:8px;background:#fff}
.choice input{width:1.3rem;height:1.3rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.8rem 1.4rem;min-height:48px;border:0;border-radius:8px;background:#b3131b;color:#fff;text-decoration:none;cursor:pointer}
button.secondary,.button.secondary{background:#e6e8ec;color:#1b1b1b}
.submit{width:100%;margin-top:1.4rem;font-size:1.1rem}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.code{font:700 1.8rem/1.3 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.08em;color:#b3131b;word-break:break-all}
dl{margin:0}dt{color:#555;font-size:.9rem;margin-top:.6rem}dd{margin:0;white-space:pre-wrap;word-break:break-word}
.body p{text-indent:2em;margin:.6rem 0}
.links a{display:block;padding:.8rem 0;border-top:1px solid #e3e5e8;min-height:48px}.links a:first-child{border-top:0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e5e8;padding:.45rem .5rem;text-align:left;vertical-align:top;font-size:.95rem}
th{background:#eef0f3}
.overdue{color:#fff;background:#b3131b;border-radius:4px;padding:0 .35rem;white-space:nowrap}
.due-soon{color:#1b1b1b;background:#ffd34d;border-radius:4px;padding:0 .35rem;white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.filters label{margin:0;font-size:.9rem}
.filters select,.filters input{min-height:40px;padding:.4rem;width:auto}
.actions form{border-top:1px solid #e3e5e8;padding:.6rem 0}
.commands{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:0}
.commands button{padding:.4rem .8rem;min-height:40px}
img.screenshot{width:10rem;height:auto;border:1px solid #ccd}
nav.staff{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
nav.staff a{color:#fff}
nav.staff form{margin:0 0 0 auto}
.wide{max-width:80rem}
.narrow{max-width:28rem}
.field-error{color:#b3131b}
.list-row{border:1px solid #ccd;border-radius:8px;padding:0 .8rem .6rem;margin:.6rem 0}
.list-row>.choice{margin-top:.6rem}
table.report th,table.report td{border:1px solid #8a8f98;text-align:center;vertical-align:middle}
table.report td.item{text-align:left}
@media print{nav,form,footer{display:none}header{background:none;color:#000}body{background:#fff}main{max-width:none;padding:0}.card{box-shadow:none;padding:0}}
"#;

/// What every visitor page shows in its header and footer, from the published content.
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub office: String,
    pub hotline: String,
    pub address: String,
}

impl Default for Letterhead {
    fn default() -> Self {
        Self { office: "政务公开专区".into(), hotline: String::new(), address: String::new() }
    }
}

fn document(title: &str, header: Markup, main_class: &str, body: Markup, footer: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { (header) }
                main class=(main_class) { (body) }
                footer { (footer) }
            }
        }
    }
}

/// A page for visitors' phones.
pub fn visitor_page(letterhead: &Letterhead, title: &str, body: Markup) -> Html<String> {
    let header = html! { div class="office" { (letterhead.office) } h1 { (title) } };
    let footer = html! {
        @if !letterhead.hotline.is_empty() { div { "咨询电话：" (letterhead.hotline) } }
        @if !letterhead.address.is_empty() { div { (letterhead.address) } }
        div { a href="/q" { "查询办理进度" } }
    };
    Html(document(title, header, "", body, footer).into_string())
}

/// A page of the staff console; `nav` is the signed-in menu (empty on the log-in page).
pub fn staff_page(title: &str, nav: Markup, body: Markup) -> Html<String> {
    let header = html! { nav class="staff" { strong { "政务公开 · 工作台" } (nav) } h1 { (title) } };
    Html(document(title, header, "wide", body, html! {}).into_string())
}

/// A visitor-facing error: what went wrong and what to do next, never a bare status line.
pub fn visitor_error(status: StatusCode, letterhead: &Letterhead, title: &str, message: &str) -> Response {
    let body = html! {
        div class="errors" { p { (message) } }
        div class="card links" {
            a href="/f/opinion" { "意见建议" }
            a href="/f/apply" { "政府信息公开申请" }
            a href="/q" { "查询办理进度" }
        }
    };
    (status, visitor_page(letterhead, title, body)).into_response()
}
