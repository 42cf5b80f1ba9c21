//! What the kiosk's lists show: filtered document lists and the page of rows on screen.
//! The screens spawn nodes only for the rows of one page, so a list of 10^5 documents costs
//! as much to show as a list of ten.

mod documents;
mod pages;

pub use documents::{DocumentFilter, Facets, filter_documents};
pub use pages::Pages;
