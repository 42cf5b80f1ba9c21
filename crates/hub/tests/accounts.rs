//! 账号管理 on a real `gongkai-hub serve`: a 管理员 adds accounts, sets roles, resets a
//! password and disables an account in the console, and each takes effect on the other
//! account's own session.

use gongkai_testkit::hub::{HubProcess, Response, add_staff_as, hidden_value, http, post_form, sign_in, start_hub, try_sign_in};

const PASSWORD: &str = "correct horse battery";

fn get(hub: &HubProcess, path: &str, session: &str) -> Response {
    http(&hub.url, "GET", path, &[("Cookie", session.to_string())], b"")
}

/// Posts one of the page's forms with the session's CSRF token.
fn change(hub: &HubProcess, action: &str, session: &str, fields: &[(&str, &str)]) -> Response {
    let csrf = hidden_value(&get(hub, "/staff/accounts", session).body, "csrf").expect("the page's CSRF token");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    post_form(&hub.url, &format!("/staff/accounts/{action}"), session, &all)
}

/// Follows a 303 to the page it names.
fn shown_after(hub: &HubProcess, response: &Response, session: &str) -> String {
    assert_eq!(response.status, 303, "{}", response.body);
    get(hub, response.header("location").unwrap(), session).body
}

#[test]
fn an_admin_adds_an_account_sets_its_roles_resets_its_password_and_disables_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    add_staff_as(&data, "admin", "管理员老周", PASSWORD, &["管理员"]);
    add_staff_as(&data, "wang", "编辑小王", PASSWORD, &["起草"]);
    let hub = start_hub(&data, &[]);
    let admin = sign_in(&hub.url, "admin", PASSWORD);
    let wang = sign_in(&hub.url, "wang", PASSWORD);

    // Only 管理员 sees and uses the page.
    assert!(get(&hub, "/staff", &admin).body.contains("href=\"/staff/accounts\""));
    assert!(!get(&hub, "/staff", &wang).body.contains("href=\"/staff/accounts\""));
    let refused = get(&hub, "/staff/accounts", &wang);
    assert!(refused.status == 403 && refused.body.contains("需要「管理员」角色"), "{}", refused.body);
    let forged = post_form(&hub.url, "/staff/accounts/add", &admin, &[("username", "li"), ("name", "李审核"), ("password", PASSWORD)]);
    assert_eq!(forged.status, 403, "no CSRF token");

    // A new account: each problem is named, and what was typed stays (not the password).
    for (fields, problem) in [
        ([("username", "李审核"), ("name", "李审核"), ("password", PASSWORD)], "用户名：请用 1 至 32 个英文字母"),
        ([("username", "li"), ("name", " "), ("password", PASSWORD)], "姓名：请填写"),
        ([("username", "li"), ("name", "李审核"), ("password", "short")], "密码：至少 10 个字符"),
        ([("username", "wang"), ("name", "又一个小王"), ("password", PASSWORD)], "用户名：wang 已被使用"),
    ] {
        let answer = change(&hub, "add", &admin, &fields);
        assert!(answer.status == 422 && answer.body.contains(problem), "{problem}: {}", answer.body);
        assert!(answer.body.contains(&format!("id=\"username\" name=\"username\" value=\"{}\"", fields[0].1)), "the user name typed is kept");
        assert!(!answer.body.contains(fields[2].1), "the password is not sent back");
    }
    let added = change(&hub, "add", &admin, &[("username", "li"), ("name", "李审核"), ("password", PASSWORD), ("reviewer", "on")]);
    assert!(shown_after(&hub, &added, &admin).contains("已新增账号 li"));
    assert!(!get(&hub, "/staff/accounts?done=added&user=nobody", &admin).body.contains("已新增账号"), "a link does not put words on the page");
    let li = sign_in(&hub.url, "li", PASSWORD);
    assert!(get(&hub, "/content/reviews", &li).body.contains("送审需要「起草」角色"), "li has 审核 only");
    assert_eq!(get(&hub, "/staff/accounts", &li).status, 403);

    // New roles hold from the account's next request, in the session it has.
    let promoted = change(&hub, "roles", &admin, &[("username", "li"), ("reviewer", "on"), ("admin", "on")]);
    assert!(shown_after(&hub, &promoted, &admin).contains("已保存 li 的角色"));
    assert_eq!(get(&hub, "/staff/accounts", &li).status, 200);
    // Nobody takes away their own 管理员 role or disables themselves.
    let own_role = change(&hub, "roles", &admin, &[("username", "admin"), ("drafter", "on")]);
    assert!(own_role.status == 422 && own_role.body.contains("不能取消自己的「管理员」角色"), "{}", own_role.body);
    let own_account = change(&hub, "state", &admin, &[("username", "admin"), ("disable", "1")]);
    assert!(own_account.status == 422 && own_account.body.contains("不能停用自己的账号"), "{}", own_account.body);
    assert_eq!(get(&hub, "/staff/accounts", &admin).status, 200, "still 管理员");
    let nobody = change(&hub, "roles", &admin, &[("username", "nobody"), ("drafter", "on")]);
    assert!(nobody.status == 422 && nobody.body.contains("没有用户名为 nobody 的账号"), "{}", nobody.body);

    // A new password ends the account's sessions; the new one signs in.
    let short = change(&hub, "password", &admin, &[("username", "wang"), ("password", "short")]);
    assert!(short.status == 422 && short.body.contains("密码：至少 10 个字符"), "{}", short.body);
    assert_eq!(get(&hub, "/staff", &wang).status, 200, "a refused reset changes nothing");
    let reset = change(&hub, "password", &admin, &[("username", "wang"), ("password", "新的密码 2026 wang")]);
    assert!(shown_after(&hub, &reset, &admin).contains("已重设 wang 的密码"));
    assert_eq!(get(&hub, "/staff", &wang).status, 303, "signed out");
    assert_ne!(try_sign_in(&hub.url, "wang", PASSWORD, &[]).status, 303, "the old password is refused");
    let wang = sign_in(&hub.url, "wang", "新的密码 2026 wang");

    // Disabled: signed out at once and kept out; enabled again, the password works.
    let disabled = change(&hub, "state", &admin, &[("username", "wang"), ("disable", "1")]);
    let page = shown_after(&hub, &disabled, &admin);
    assert!(page.contains("已停用 wang") && page.contains("<td>已停用</td>"), "{page}");
    assert_eq!(get(&hub, "/staff", &wang).status, 303);
    assert_ne!(try_sign_in(&hub.url, "wang", "新的密码 2026 wang", &[]).status, 303);
    let enabled = change(&hub, "state", &admin, &[("username", "wang"), ("disable", "0")]);
    assert!(shown_after(&hub, &enabled, &admin).contains("已启用 wang"));
    sign_in(&hub.url, "wang", "新的密码 2026 wang");

    let audit = get(&hub, "/staff/audit", &admin).body;
    for entry in ["新增工作人员账号 li（李审核），角色：审核", "设置角色：li 为 审核、管理员", "重设 wang 的密码", "停用 wang 的账号", "启用 wang 的账号"] {
        assert!(audit.contains(entry), "{entry}: {audit}");
    }
}
