//! Content bundles: the model, the files on disk, their manifest, the checker and a
//! generator of large synthetic bundles.

pub mod attachment_pages;
pub mod build;
pub mod changes;
pub mod bundle_files;
pub mod check;
pub mod display_source;
pub mod font_coverage;
pub mod living_demo;
pub mod manifest;
pub mod model;
pub mod synth;
pub mod text_scan;
pub mod workspace;
