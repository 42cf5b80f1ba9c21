//! The reports the office publishes from its own records: the annual
//! 《政府信息公开工作年度报告》's sections 二 (`published`), 三 (`applications`) and 四
//! (`appeals`), each a table in the official layout (`table`), shown as a page and written
//! as an XLSX (`annual_xlsx`).

pub mod annual_xlsx;
pub mod appeals;
pub mod applications;
pub mod published;
pub mod table;
