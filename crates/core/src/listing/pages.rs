//! Paging over a list of known length.

/// One list cut into pages of `per_page` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    pub total: usize,
    pub per_page: usize,
    /// Zero-based, always a page that exists (0 for an empty list).
    pub current: usize,
}

impl Pages {
    pub fn new(total: usize, per_page: usize) -> Self {
        Self { total, per_page: per_page.max(1), current: 0 }
    }

    pub fn count(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }

    /// The index range of the rows on the current page.
    pub fn rows(&self) -> std::ops::Range<usize> {
        let start = (self.current * self.per_page).min(self.total);
        start..(start + self.per_page).min(self.total)
    }

    /// Moves by `delta` pages, staying within the list; returns whether the page changed.
    pub fn step(&mut self, delta: isize) -> bool {
        let last = self.count() - 1;
        let next = self.current.saturating_add_signed(delta).min(last);
        let changed = next != self.current;
        self.current = next;
        changed
    }

    pub fn has_previous(&self) -> bool {
        self.current > 0
    }

    pub fn has_next(&self) -> bool {
        self.current + 1 < self.count()
    }

    /// 第 2 / 15 页
    pub fn label(&self) -> String {
        format!("第 {} / {} 页", self.current + 1, self.count())
    }
}

#[cfg(test)]
mod tests {
    use super::Pages;

    #[test]
    fn pages_cover_the_list_once() {
        let mut pages = Pages::new(23, 10);
        assert_eq!((pages.count(), pages.rows()), (3, 0..10));
        assert!(!pages.has_previous() && pages.has_next());
        assert!(pages.step(1) && pages.step(1));
        assert_eq!(pages.rows(), 20..23);
        assert!(!pages.step(1), "no page after the last");
        assert_eq!(pages.label(), "第 3 / 3 页");
        assert!(pages.step(-5));
        assert_eq!(pages.current, 0);
    }

    #[test]
    fn empty_list_has_one_empty_page() {
        let pages = Pages::new(0, 8);
        assert_eq!((pages.count(), pages.rows(), pages.label().as_str()), (1, 0..0, "第 1 / 1 页"));
    }
}
