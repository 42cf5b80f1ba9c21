//! What visitors send from their phones, and how the office handles it. Plain Rust: the hub
//! serves the forms over HTTP; nothing here knows about HTTP or Bevy.
//!
//! - `form`: the four forms' fields and their validation;
//! - `channel`: how an application arrived, which decides its day of receipt;
//! - `query_code`: the 查询码 a visitor keeps to look a submission up;
//! - `workflow`: 依申请公开 states, reply types (条例第三十六条) and staff actions;
//! - `calendar` and `deadline`: statutory deadlines in working days;
//! - `fees`: the 信息处理费 and its 收费通知;
//! - `lapse`: the end of an application not corrected, or not paid for, in time;
//! - `store`: durable storage behind a trait (SQLite by default);
//! - `export`: the CSV export.

pub mod appeal;
pub mod applicant;
pub mod calendar;
pub mod channel;
pub mod deadline;
pub mod export;
pub mod fees;
pub mod form;
pub mod lapse;
pub mod outcome;
pub mod query_code;
pub mod store;
pub mod workflow;
