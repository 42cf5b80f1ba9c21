//! Writing a file so that a reader sees the old one or the new one whole, never a part.

use std::{fs, io, path::Path};

/// Writes `bytes` beside `path`, then renames them over it.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let fresh = path.with_extension("new");
    fs::write(&fresh, bytes)?;
    fs::rename(&fresh, path)
}
