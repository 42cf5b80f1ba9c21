//! Staff accounts as a 管理员 keeps them in the console: add one, set its roles, reset its
//! password, disable or enable it. Each change is in the audit log as the 管理员's. No
//! 管理员 takes away their own 管理员 role or disables their own account, so the office is
//! never left without someone who can manage accounts. The messages are for staff.

use crate::{
    console::{MIN_PASSWORD_CHARS, hash_password, too_short},
    roles::{Role, Roles},
    submissions::store::{Store, StoreError},
};

/// The longest user name and display name taken.
const MAX_NAME_CHARS: usize = 32;

/// Adds an account with its roles and the id of its organ (empty: the receiving one), as `by`.
pub fn add(store: &dyn Store, username: &str, display_name: &str, password: &str, (roles, organ): (Roles, &str), by: &str) -> Result<(), String> {
    check_username(username)?;
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("姓名：请填写 1 至 {MAX_NAME_CHARS} 个字。"));
    }
    let hash = hashed(password)?;
    store.add_staff(username, display_name, &hash, roles, organ, by).map_err(|e| match e {
        StoreError::Exists(_) => format!("用户名：{username} 已被使用，请换一个。"),
        other => other.to_string(),
    })
}

/// Sets `username`'s roles, as `by`.
pub fn set_roles(store: &dyn Store, username: &str, roles: Roles, by: &str) -> Result<(), String> {
    if username == by && !roles.has(Role::Admin) {
        return Err("不能取消自己的「管理员」角色；请由另一位管理员操作。".into());
    }
    store.set_roles(username, roles, by).map_err(|e| named(username, e))
}

/// Moves `username` to the organ `organ` (its id and name), as `by`.
pub fn set_organ(store: &dyn Store, username: &str, organ: (&str, &str), by: &str) -> Result<(), String> {
    store.set_organ(username, organ, by).map_err(|e| named(username, e))
}

/// Sets `username`'s password, as `by`; the account's sessions end.
pub fn set_password(store: &dyn Store, username: &str, password: &str, by: &str) -> Result<(), String> {
    let hash = hashed(password)?;
    store.set_password(username, &hash, by).map_err(|e| named(username, e))
}

/// Disables or enables `username`, as `by`; disabling ends the account's sessions.
pub fn set_disabled(store: &dyn Store, username: &str, disabled: bool, by: &str) -> Result<(), String> {
    if disabled && username == by {
        return Err("不能停用自己的账号；请由另一位管理员操作。".into());
    }
    store.set_disabled(username, disabled, by).map_err(|e| named(username, e))
}

/// A user name is typed at every sign-in: letters, digits, `.`, `_` and `-` only.
fn check_username(username: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if username.is_empty() || username.len() > MAX_NAME_CHARS || !username.chars().all(allowed) {
        return Err(format!("用户名：请用 1 至 {MAX_NAME_CHARS} 个英文字母、数字或 . _ -（登录时输入）。"));
    }
    Ok(())
}

fn hashed(password: &str) -> Result<String, String> {
    if too_short(password) {
        return Err(format!("密码：至少 {MIN_PASSWORD_CHARS} 个字符。"));
    }
    hash_password(password)
}

fn named(username: &str, error: StoreError) -> String {
    match error {
        StoreError::NotFound => format!("没有用户名为 {username} 的账号。"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_what_can_be_typed_at_sign_in() {
        for good in ["wang", "li.ming", "staff_01", "a-b"] {
            assert_eq!(check_username(good), Ok(()), "{good}");
        }
        for bad in ["", "王科员", "has space", "semi;colon", &"x".repeat(33)] {
            assert!(check_username(bad).unwrap_err().starts_with("用户名："), "{bad}");
        }
    }
}
