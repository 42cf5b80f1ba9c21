//! One case: what was submitted, where it stands, its deadline, the actions that apply now,
//! and its audit trail.

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{Form, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};

use super::{appeals, auth, inbox::due_cell, letters, local_time, nav, organs};
use crate::{
    Hub, page::staff_page,
    letters::Letter,
    organs::Organs,
    submissions::{
        calendar::WorkCalendar, channel::Channel, form::Kind, query_code::QueryCode,
        deadline::{CORRECTION_WORKING_DAYS, ORGAN_WORKING_DAYS, THIRD_PARTY_WORKING_DAYS},
        fees::{Basis, PAYMENT_WORKING_DAYS},
        store::{StoreError, Submission},
        outcome::{Outcome, Section},
        workflow::{Action, Competent, DELIVERY_UNRECORDED, DELIVERY_WAYS, State as CaseState, action_label, consulted},
    },
};

pub async fn show(State(hub): State<Arc<Hub>>, Path(code): Path<String>, headers: HeaderMap) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    render(&hub, &staff, &code, StatusCode::OK, None).await
}

pub(super) async fn render(hub: &Arc<Hub>, staff: &auth::Staff, code: &str, status: StatusCode, error: Option<String>) -> Response {
    let Some(code) = QueryCode::parse(code) else { return (StatusCode::NOT_FOUND, "没有这个查询码").into_response() };
    let store = Arc::clone(&hub.store);
    let loaded = tokio::task::spawn_blocking(move || {
        let submission = store.by_code(&code)?;
        let appeals = match &submission {
            Some(s) if s.case.kind == Kind::Apply => store.appeals(s.id)?,
            _ => Vec::new(),
        };
        // 按件计收 counts the applicant's applications of the month; asked only when offered.
        let in_month = match &submission {
            Some(s) if s.case.available().contains(&"notify_fee") => store.applications_in_month(s)?,
            _ => 0,
        };
        Ok::<_, StoreError>((submission, appeals, in_month, store.audit_log(Some(&code), None, 200)?))
    })
    .await;
    let (submission, appeals, in_month, audit) = match loaded {
        Ok(Ok((Some(s), appeals, in_month, audit))) => (s, appeals, in_month, audit),
        Ok(Ok((None, ..))) => return (StatusCode::NOT_FOUND, "没有这个查询码").into_response(),
        _ => return (StatusCode::SERVICE_UNAVAILABLE, "数据库暂时不可用，请稍后刷新。").into_response(),
    };
    if !organs::may_handle(hub, &staff.session, &submission.case.organ) {
        return organs::refused(hub, staff, &submission.case.organ);
    }
    let today = hub.today();
    let body = html! {
        p { a href="/staff" { "← 返回收件箱" } }
        @if let Some(e) = error { div class="errors" role="alert" { (e) } }
        div class="card" { (facts(hub, &submission, today)) }
        div class="card" {
            h2 { "提交内容" }
            dl { @for e in &submission.fields.0 { dt { (e.label) } dd { (e.value) } } }
        }
        div class="card actions" {
            h2 { "办理" }
            @for name in submission.case.available().into_iter().filter(|name| *name != "transfer" || hub.organs.several()) {
                (action_form(&submission, name, &staff.session.csrf, today, (&hub.calendar, &hub.organs), in_month))
            }
        }
        (letters::card(hub, &submission))
        @if submission.case.kind == Kind::Apply { (appeals::card(&submission, &appeals, &staff.session.csrf, today)) }
        div class="card" {
            h2 { "审计记录" }
            table {
                tr { th { "时间" } th { "操作人" } th { "操作" } }
                @for a in &audit { tr { td { (local_time(a.at)) } td { (a.staff) } td { (a.detail) } } }
            }
        }
    };
    (status, staff_page(&format!("{} · {}", submission.case.kind.label(), submission.code), nav(staff), body)).into_response()
}

fn facts(hub: &Hub, s: &Submission, today: NaiveDate) -> Markup {
    let clock = &s.case.clock;
    let apply = s.case.kind == Kind::Apply;
    html! {
        dl {
            dt { "查询码" } dd { (s.code) }
            dt { "提交时间" } dd { (local_time(s.submitted_at)) }
            dt { "来源" } dd {
                @match (s.case.channel, &s.kiosk, &s.origin_note) {
                    (Channel::Online, Some(kiosk), _) => { "终端 " (kiosk) },
                    (Channel::Online, None, Some(note)) => { "未记录终端（" (note) "）" },
                    (Channel::Online, None, None) => { "直接访问" },
                    (channel, _, note) => { (channel.label()) @if let Some(note) = note { "（" (note) "）" } },
                }
            }
            @if let Some(subject) = &s.subject { dt { "事项" } dd { (subject.title) " (" (subject.id) ")" } }
            @if hub.organs.several() { dt { "承办机关" } dd id="organ" { (hub.organs.name_of(&s.case.organ)) } }
            dt { "状态" } dd id="state" { strong { (s.case.state.label()) } }
            @if apply {
                dt { "收到申请日期" } dd {
                    (clock.received_on) "（条例第三十一条：" (s.case.channel.label()) "的申请" (s.case.channel.receipt_rule()) "）"
                    @if s.case.channel == Channel::Online && s.case.state == CaseState::Registered { "受理时填写与申请人确认收到申请的日期，答复期限自该日起计算。" }
                    @if s.case.channel == Channel::InPerson && s.case.state == CaseState::Registered && clock.received_on == today {
                        span class="hint" { "能够当场答复的，应当当场答复（条例第三十三条第一款）：在下方“答复”中答复，答复日期为收到申请之日。" }
                    }
                }
                @if let Some(notice) = &s.case.notices.correction {
                    dt { "告知补正" } dd id="correction" {
                        (notice.on) @if let Some(until) = notice.until { "，补正期限 " (until) }
                        @if let Some(extended) = &s.case.notices.correction_extended {
                            "；" (extended.on) " 延长至 " (extended.until.unwrap_or(extended.on)) "（" (extended.text) "）"
                        }
                        @if let Some(lapses) = s.case.lapses_on(&hub.calendar) { "（无正当理由逾期不补正的，视为放弃申请：" (lapses) " 起系统终止办理，条例第三十条）" }
                    }
                }
                @if let Some(on) = clock.corrected_on { dt { "收到补正日期" } dd { (on) "（答复期限自此重新计算）" } }
                @if let Some(fee) = &s.case.notices.fee {
                    dt { "信息处理费" } dd id="fee" {
                        (fee.on) " 收费通知：" (fee.basis.label()) "，" (fee.basis.describe(fee.units, clock.received_on)) "，" (fee.amount) " 元；缴费期限 " (fee.until)
                        @match fee.paid_on {
                            Some(paid) => { "；" (paid) " 已缴费" },
                            None => { @if let Some(lapses) = s.case.lapses_on(&hub.calendar) { "（逾期未缴纳的，视为放弃申请：" (lapses) " 起系统终止办理）" } },
                        }
                    }
                }
                @if clock.extended { dt { "延期" } dd { "已延长 20 个工作日" } }
                @for (n, (consultation, party)) in clock.third_party.iter().zip(&s.case.notices.third_parties).enumerate() {
                    @let organ = s.case.consults_organ(n);
                    dt { "征求" (consulted(organ)) "意见" } dd class="consultation" {
                        (party) "：" (consultation.asked_on) " 至 "
                        @match consultation.answered_on { Some(end) => (end), None => "（尚未答复）" }
                        @if consultation.lapsed { "，逾期未提出意见" @if organ { "，视为同意公开" } }
                        @if let Some(until) = consultation.until {
                            "；意见期限 " (until) "（条例" (if organ { "第三十四条" } else { "第三十二条" }) "：自收到征求意见书之日起 15 个工作日）"
                            @if consultation.answered_on.is_none() {
                                @if today > until { "，" strong { "已过期限" } "：期间不再计入，请记录" (consulted(organ)) "逾期未提出意见" @if !organ { "后决定是否公开" } }
                                @else { "，期间不计入答复期限" }
                            }
                        } @else if consultation.answered_on.is_none() { "，期间不计入答复期限" }
                    }
                }
                dt { "答复期限" } dd id="due" { (due_cell(hub, s, today)) }
                @if matches!(s.case.state, CaseState::Registered | CaseState::InProgress) && !s.case.correction_requested {
                    dt { "补正告知期限" } dd { (clock.correction_notice_due_on(&hub.calendar)) "（条例第三十条：收到申请之日起 7 个工作日内一次性告知）" }
                }
            }
            @if let Some(on) = s.case.concluded_on { dt { "办结日期" } dd { (on) } }
            @if let Some(outcome) = s.case.outcome { dt { "办理结果" } dd id="outcome" { (outcome.report_row()) "：" (outcome.reply()) } }
            @if let Some(competent) = &s.case.notices.competent { dt { "负责公开的机关" } dd id="competent" { (competent.name) "，" (competent.contact) } }
            @if apply && s.case.outcome.is_none() && s.case.concluded_on.is_some() {
                dt { "办理结果" } dd id="outcome" { strong { "未归入年度报告的类别" } "：请用下方「年报归类」选择，否则年度报告的收支不平衡。" }
            }
            @if let Some(text) = &s.case.reply_text { dt { "答复内容" } dd { (text) } }
            @match &s.case.notices.delivered {
                Some(delivered) if delivered.text == DELIVERY_UNRECORDED => { dt { "送达" } dd id="delivery" { (DELIVERY_UNRECORDED) } },
                Some(delivered) => { dt { "送达" } dd id="delivery" { (delivered.on) "，" (delivered.text) } },
                None if s.case.awaiting_delivery() => {
                    dt { "送达" } dd id="delivery" { strong { "答复书待送达" } "：请在“文书”中打印答复书送达申请人，送达后在下方“记录送达”。" }
                },
                None => {},
            }
        }
    }
}

fn action_form(s: &Submission, name: &str, csrf: &str, today: NaiveDate, (calendar, organs): (&WorkCalendar, &Organs), in_month: u32) -> Markup {
    let text = |field: &str, label: &str| html! { label { (label) textarea name=(field) required {} } };
    let date = |label: &str| html! { label { (label) input type="date" name="on" value=(today) required; } };
    // The period a letter gives, suggested as the usual 15 working days from today.
    let organ_open = s.case.consults_organ(s.case.clock.third_party.len().saturating_sub(1));
    let until = |label: &str, from: NaiveDate, days: u32| html! {
        label { (label) input type="date" name="until" value=(calendar.add_working_days(from, days)) required; }
        p class="hint" { "告知书上写明的最后一日。邮寄送达的，请留出邮寄的时间。" }
    };
    html! {
        form method="post" action={ "/staff/s/" (s.code.as_str()) } {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="version" value=(s.version);
            input type="hidden" name="action" value=(name);
            @match name {
                "accept" if s.case.kind == Kind::Apply && s.case.channel == Channel::Online => (date("确认收到申请的日期")),
                "request_correction" => { (date("告知补正日期")) (until("补正期限", today, CORRECTION_WORKING_DAYS)) (text("note", "需要补正的内容")) },
                "correction_received" => (date("收到补正后申请的日期")),
                "extend_correction" => {
                    (date("同意延长的日期"))
                    (until("新的补正期限", s.case.correction_until().unwrap_or(today).max(today), CORRECTION_WORKING_DAYS))
                    (text("reason", "申请人的正当理由（如需向其他单位取得材料）"))
                    p class="hint" { "无正当理由逾期不补正的，视为放弃申请（条例第三十条）。有正当理由的，可以延长补正期限，并告知申请人新的期限。" }
                },
                "extend" => { (date("延期告知日期")) (text("reason", "延期理由（经负责人同意）")) },
                "third_party_started" => {
                    (date("征求意见日期")) label { "第三方" input type="text" name="party" required; }
                    (until("意见期限（第三十二条：自收到之日起 15 个工作日）", today, THIRD_PARTY_WORKING_DAYS))
                },
                "organ_consulted" => {
                    (date("征求意见日期"))
                    label { "被征求意见的机关（共同制作该信息的机关）" input type="text" name="party" list="organs" required; }
                    datalist id="organs" { @for organ in organs.all().iter().filter(|organ| organ.id != s.case.organ) { option value=(organ.details.name) {} } }
                    (until("意见期限（第三十四条：自收到之日起 15 个工作日）", today, ORGAN_WORKING_DAYS))
                },
                "third_party_answered" if organ_open => {
                    label { "结果" select name="lapsed" {
                        option value="no" { "其他机关已提出意见" }
                        option value="yes" { "其他机关逾期未提出意见（视为同意公开，条例第三十四条）" }
                    } }
                    (date("收到意见或期限届满后的日期"))
                },
                "third_party_answered" => {
                    label { "结果" select name="lapsed" {
                        option value="no" { "第三方已提出意见" }
                        option value="yes" { "第三方逾期未提出意见（由本机关依照条例决定是否公开）" }
                    } }
                    (date("收到意见或期限届满后的日期"))
                },
                "reply" => {
                    @if s.case.kind == Kind::Apply { (outcome_choice(None)) (competent_choice(s, organs)) }
                    (date("答复日期"))
                    (text("text", "答复内容"))
                },
                "withdraw" => { (date("撤回日期")) (text("note", "撤回说明")) },
                "transfer" => {
                    label { "转办至（承办机关）" select name="to" required {
                        option value="" { "请选择" }
                        @for organ in organs.all().iter().filter(|organ| organ.id != s.case.organ) { option value=(organ.id) { (organ.details.name) } }
                    } }
                    (text("reason", "转办理由"))
                    p class="hint" { "转办后由承办机关办理，答复期限仍自收到申请之日起计算。" }
                },
                "notify_fee" => {
                    (date("收费通知日期"))
                    label { "计费方式（一件申请只能选其一）" select name="basis" required {
                        option value="" { "请选择" }
                        option value=(Basis::Count.as_str()) {
                            "按件计收：" (Basis::Count.describe(in_month, s.case.clock.received_on)) "，" (Basis::Count.fee(in_month)) " 元"
                        }
                        option value=(Basis::Pages.as_str()) { "按量计收：按页数计算（提供纸质件、发送电子邮件、复制电子数据的）" }
                    } }
                    label { "页数（按量计收时填写）" input type="number" name="pages" min="1" max="100000"; }
                    (until("缴费期限（收到收费通知次日起 20 个工作日）", today, PAYMENT_WORKING_DAYS))
                },
                "fee_paid" => (date("缴费日期")),
                "cancel_fee" => (text("reason", "撤销理由（如页数或金额有误）；撤销后可重新发出收费通知")),
                "fee_overdue" => { (date("终止办理日期")) (text("text", "告知申请人的内容（逾期未缴纳信息处理费，视为放弃申请）")) },
                "correction_overdue" => { (date("终止办理日期")) (text("text", "告知申请人的内容（第三十条：逾期未补正，视为放弃申请）")) },
                "classify" => (outcome_choice(s.case.outcome)),
                "delivered" => {
                    (date("送达日期（当面送达为领取之日，邮寄送达为申请人签收之日）"))
                    label { "送达方式" select name="how" required {
                        option value="" { "请选择" }
                        @for way in DELIVERY_WAYS { option value=(way) { (way) } }
                    } }
                },
                "note" => (text("text", "备注")),
                _ => {},
            }
            button type="submit" class=(if name == "note" { "secondary" } else { "" }) {
                @if name == "third_party_answered" && organ_open { "收到其他机关意见" } @else { (action_label(name)) }
            }
        }
    }
}

/// The organ an answer of `Outcome::NotThisOrgan` names (条例第三十六条第五项): one of the
/// hub's organs, another the staff member names, or none that can be determined.
fn competent_choice(s: &Submission, organs: &Organs) -> Markup {
    html! {
        label { "负责公开的机关（办理结果为“不属于本机关负责公开”时选择，答复书写明其名称和联系方式）" select name="competent" {
            option value="" { "不适用，或无法确定负责公开的机关" }
            @for organ in organs.all().iter().filter(|organ| organ.id != s.case.organ) { option value=(organ.id) { (organ.details.name) } }
            option value="other" { "其他机关（在下面填写）" }
        } }
        label { "其他机关的名称" input type="text" name="competent_name"; }
        label { "其他机关的联系方式（地址、电话）" input type="text" name="competent_contact"; }
    }
}

/// The organ `form` names as responsible for the information, if any.
fn competent(form: &HashMap<String, String>, organs: &Organs) -> Result<Option<Competent>, String> {
    let text = |name: &str| form.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    match text("competent").as_str() {
        "" => Ok(None),
        "other" => {
            let (name, contact) = (text("competent_name"), text("competent_contact"));
            if name.is_empty() || contact.is_empty() {
                return Err("负责公开的机关：请填写其他机关的名称和联系方式".into());
            }
            Ok(Some(Competent { name, contact }))
        }
        id => {
            let organ = organs.get(id).ok_or("负责公开的机关：不在机关名单中，请重新选择")?;
            let contact = format!("联系地址：{}，联系电话：{}", organ.details.address, organ.details.phone);
            Ok(Some(Competent { name: organ.details.name.clone(), contact }))
        }
    }
}

/// The outcomes to choose from, grouped as the annual report's section 三 groups them.
fn outcome_choice(chosen: Option<Outcome>) -> Markup {
    html! {
        label { "办理结果（年度报告的类别及告知申请人的答复）" select name="outcome" required {
            option value="" { "请选择" }
            @for section in Section::ALL {
                optgroup label=(section.label()) {
                    @for o in section.outcomes() {
                        option value=(o.as_str()) selected[chosen == Some(o)] { (o.report_row()) " — " (o.reply()) }
                    }
                }
            }
        } }
    }
}

/// The action a posted form asks for, or why it cannot be read. Dates are of things that
/// have happened, so none is after `today`; the workflow refuses one before the receipt.
fn parse_action(form: &HashMap<String, String>, today: NaiveDate, (calendar, organs): (&WorkCalendar, &Organs)) -> Result<Action, String> {
    let text = |name: &str| form.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    let date = || past_date(form, "on", "日期", today);
    Ok(match text("action").as_str() {
        // Only an online application's form asks the day its receipt is confirmed.
        "accept" => Action::Accept { confirmed_on: form.contains_key("on").then(date).transpose()? },
        "request_correction" => Action::RequestCorrection { note: text("note"), on: date()?, until: period(form, today, calendar)? },
        "correction_received" => Action::CorrectionReceived { on: date()? },
        "extend_correction" => Action::ExtendCorrection { on: date()?, until: period(form, today, calendar)?, reason: text("reason") },
        "extend" => Action::Extend { reason: text("reason"), on: date()? },
        "third_party_started" => Action::ThirdPartyStarted { on: date()?, party: text("party"), until: period(form, today, calendar)?, organ: false },
        "organ_consulted" => Action::ThirdPartyStarted { on: date()?, party: text("party"), until: period(form, today, calendar)?, organ: true },
        // Whom the open consultation asked is the case's, filled in when it is recorded.
        "third_party_answered" => Action::ThirdPartyAnswered { on: date()?, lapsed: text("lapsed") == "yes", organ: false },
        "reply" => {
            let outcome = Outcome::parse(&text("outcome"));
            let competent = if outcome == Some(Outcome::NotThisOrgan) { competent(form, organs)? } else { None };
            Action::Reply { outcome, on: date()?, text: text("text"), competent }
        }
        "transfer" => {
            let to = organs.get(&text("to")).ok_or("转办至：请选择机关名单中的机关")?;
            // The letters sent so far are the case's, filled in when it is recorded.
            Action::Transfer { to: to.id.clone(), to_name: to.details.name.clone(), reason: text("reason"), sent: Vec::new() }
        }
        "withdraw" => Action::Withdraw { note: text("note"), on: date()? },
        "correction_overdue" => Action::CorrectionOverdue { on: date()?, text: text("text") },
        "delivered" => Action::Delivered { on: date()?, how: text("how") },
        "notify_fee" => {
            let basis = Basis::parse(&text("basis")).ok_or("计费方式：请选择")?;
            // 按件计收's count is the store's, filled in when the notice is recorded.
            let units = match basis {
                Basis::Count if !text("pages").is_empty() => return Err("页数：按件计收不按页数计算，请选择按量计收或清空页数".into()),
                Basis::Count => 0,
                Basis::Pages => text("pages").parse().ok().filter(|pages| (1..=100_000).contains(pages)).ok_or("页数：按量计收请填写 1 至 100000 之间的页数")?,
            };
            let (on, until) = (date()?, period(form, today, calendar)?);
            // The applicant pays within 20 working days from the day after receiving the notice.
            let earliest = calendar.add_working_days(on, PAYMENT_WORKING_DAYS);
            if until < earliest {
                return Err(format!("缴费期限：不能早于 {earliest}（收到收费通知次日起 20 个工作日）"));
            }
            Action::NotifyFee { on, basis, units, until }
        }
        "fee_paid" => Action::FeePaid { on: date()? },
        "cancel_fee" => Action::CancelFee { reason: text("reason") },
        "fee_overdue" => Action::FeeOverdue { on: date()?, text: text("text") },
        "classify" => Action::Classify { outcome: Outcome::parse(&text("outcome")).ok_or("办理结果：请选择")? },
        "archive" => Action::Archive,
        "note" => Action::Note { text: text("text") },
        other => return Err(format!("未知操作：{other}")),
    })
}

/// An online application's receipt is confirmed while it could still be answered in time
/// counted from the day it was sent: a late confirmation does not restart an overdue clock.
fn confirmed_in_time(submission: &Submission, on: NaiveDate, calendar: &WorkCalendar) -> Result<(), String> {
    let latest = submission.case.clock.due_on(calendar, on);
    if on > latest {
        return Err(format!("确认收到申请的日期（{on}）晚于按提交日期计算的答复期限（{latest}），不能再以确认之日起算"));
    }
    Ok(())
}

/// The period a notice gives (`until`): a working day, since a period ending on a rest day
/// runs on to the next working day and the letter would say otherwise, and within a year
/// from `today`, which catches a mistyped year; the workflow refuses one not after the notice.
fn period(form: &HashMap<String, String>, today: NaiveDate, calendar: &WorkCalendar) -> Result<NaiveDate, String> {
    let typed = form.get("until").map(|v| v.trim()).unwrap_or_default();
    let until = NaiveDate::parse_from_str(typed, "%Y-%m-%d").map_err(|_| "期限：格式应为 YYYY-MM-DD".to_string())?;
    let latest = today + chrono::Months::new(12);
    if until > latest {
        return Err(format!("期限：{until} 晚于一年之后（{latest}），请核对年份"));
    }
    if !calendar.is_working_day(until) {
        return Err(format!("期限：{until} 不是工作日，请改为其后的第一个工作日（{}）", calendar.add_working_days(until, 1)));
    }
    Ok(until)
}

/// The date posted as `name` (`label` to staff), of something that has happened: not after
/// `today`.
pub(super) fn past_date(form: &HashMap<String, String>, name: &str, label: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let typed = form.get(name).map(|v| v.trim()).unwrap_or_default();
    let on = NaiveDate::parse_from_str(typed, "%Y-%m-%d").map_err(|_| format!("{label}：格式应为 YYYY-MM-DD"))?;
    if on > today {
        return Err(format!("{label}：{on} 晚于今天（{today}），请填写实际发生的日期"));
    }
    Ok(on)
}

pub async fn act(
    State(hub): State<Arc<Hub>>,
    Path(code): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let staff = match auth::require_signed_post(&hub, &headers, form.get("csrf").map(String::as_str)).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let action = match parse_action(&form, hub.today(), (&hub.calendar, &hub.organs)) {
        Ok(action) => action,
        Err(e) => return render(&hub, &staff, &code, StatusCode::UNPROCESSABLE_ENTITY, Some(e)).await,
    };
    let version: i64 = form.get("version").and_then(|v| v.parse().ok()).unwrap_or(-1);
    // A case handed on leaves the inbox of whoever handed it on.
    let after = if matches!(action, Action::Transfer { .. }) { "/staff".to_string() } else { format!("/staff/s/{code}") };
    let Some(parsed) = QueryCode::parse(&code) else { return (StatusCode::NOT_FOUND, "没有这个查询码").into_response() };
    let (store, office) = (Arc::clone(&hub.store), Arc::clone(&hub));
    let username = staff.session.username.clone();
    let session = staff.session.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let submission = store.by_code(&parsed)?.ok_or(StoreError::NotFound)?;
        // Checked on the case as it is now, at the version the action is applied to: one
        // handed on after this read changes that version, and the action is refused.
        if !organs::may_handle(&office, &session, &submission.case.organ) {
            return Err(StoreError::Refused("此案件由其他机关承办".into()));
        }
        if submission.version != version {
            return Err(StoreError::Conflict);
        }
        let mut action = action;
        if let Action::NotifyFee { basis, units, on, .. } = &mut action {
            // The notice goes out within the time to answer (国办函〔2020〕109号).
            let due = submission.case.clock.due_on(&office.calendar, *on);
            if *on > due {
                return Err(StoreError::Refused(format!("收费通知应在答复期限（{due}）内发出")));
            }
            if *basis == Basis::Count {
                *units = store.applications_in_month(&submission)?;
            }
        }
        if let Action::Transfer { sent, .. } = &mut action {
            *sent = Letter::available(&submission).into_iter().map(Letter::slug).collect();
        }
        if let Action::ThirdPartyAnswered { organ, .. } = &mut action {
            *organ = submission.case.consults_organ(submission.case.clock.third_party.len().saturating_sub(1));
        }
        if let Action::Accept { confirmed_on: Some(on) } = &action {
            confirmed_in_time(&submission, *on, &office.calendar).map_err(StoreError::Refused)?;
        }
        store.act(submission.id, version, &username, &action)
    })
    .await;
    match outcome {
        Ok(Ok(_)) => Redirect::to(&after).into_response(),
        Ok(Err(StoreError::Conflict)) => render(&hub, &staff, &code, StatusCode::CONFLICT, Some(StoreError::Conflict.to_string())).await,
        Ok(Err(StoreError::Refused(reason))) => render(&hub, &staff, &code, StatusCode::UNPROCESSABLE_ENTITY, Some(reason)).await,
        Ok(Err(e)) => {
            eprintln!("case action failed: {e}");
            render(&hub, &staff, &code, StatusCode::SERVICE_UNAVAILABLE, Some("操作未保存：数据库暂时不可用，请稍后再试。".into())).await
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "操作未保存，请稍后再试。").into_response(),
    }
}
