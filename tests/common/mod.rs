//! Helpers of the kiosk's own integration tests; what all crates share is in `gongkai-testkit`.
#![allow(dead_code)]

pub mod fault_proxy;
pub mod office;
pub mod rendered;
