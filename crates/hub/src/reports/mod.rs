//! The reports the office publishes from its own records: the annual
//! 《政府信息公开工作年度报告》 (`annual`), as a page and as an XLSX in the official layout
//! (`annual_xlsx`).

pub mod annual;
pub mod annual_xlsx;
