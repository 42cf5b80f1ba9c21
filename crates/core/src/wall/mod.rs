//! The LED wall's plain parts: which layout a screen's shape gets and what its playlist shows
//! when. The pages themselves are the `dashboards`; `kiosk::wall` draws them.

mod layout_class;
mod playlist;

pub use layout_class::LayoutClass;
pub use playlist::{Entry, PageConfig, Playlist, WallConfig};
