//! 打印 at a 自助查询 kiosk: a document, an attachment, a 办事指南 or a 公开目录 item becomes
//! an A4 PDF (`pdf`, laid out by `layout`) that goes to the hall's printer through CUPS
//! (`cups`), within the pages the kiosk may print (`allowance`).

pub mod allowance;
pub mod cups;
mod layout;
pub mod pdf;
mod printable;

pub use printable::{Block, Printable, chinese_date};
