//! Reusable pieces of kiosk UI: functions returning bundles, styled by the `Theme`.

mod button;
mod chips;
mod page;
mod progress;
mod qr_card;
mod rows;
mod text;
mod urgent_banner;

pub use button::{ButtonStyle, button};
pub use chips::{chip, chip_rows, chip_rows_height, spawn_chip_bar};
pub use page::{PageRoot, screen_root, spawn_page};
pub use progress::progress_bar;
pub use qr_card::{HandoffQr, HandoffSigner, QR_CARD_WIDTH, QrMaker, QrShownCounts, qr_card};
pub use rows::{still_loading, field_row, paged_list, pager, section_heading};
pub use text::{Ui, fit, label, paragraph, text_width_em};
pub use urgent_banner::{UrgentBand, spawn_urgent_banner, urgent_banner_height};
