//! A report's table as the official layout draws it: cells that span rows and columns (merged
//! cells), each row listing the cells that start in it. The page and the XLSX are both drawn
//! from it.

use std::collections::HashSet;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Heading(&'static str),
    Label(&'static str),
    Count(u64),
    /// An amount in yuan, shown in 万元.
    Amount(i64),
}

/// `yuan` in 万元, to the yuan: `12.5`, `0.0001`, `3`.
pub fn ten_thousands(yuan: i64) -> String {
    let (sign, yuan) = if yuan < 0 { ("-", yuan.unsigned_abs()) } else { ("", yuan.unsigned_abs()) };
    let fraction = format!("{:04}", yuan % 10_000);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() { format!("{sign}{}", yuan / 10_000) } else { format!("{sign}{}.{fraction}", yuan / 10_000) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub value: Value,
    pub rows: usize,
    pub columns: usize,
}

/// Each cell of `table` with the row and column of its top left corner: a cell starts at the
/// first column of its row not taken by a cell spanning down from a row above.
pub fn placed(table: &[Vec<Cell>]) -> Vec<(usize, usize, Cell)> {
    let mut taken: HashSet<(usize, usize)> = HashSet::new();
    let mut placed = Vec::new();
    for (row, cells) in table.iter().enumerate() {
        let mut column = 0;
        for cell in cells {
            while taken.contains(&(row, column)) {
                column += 1;
            }
            for r in row..row + cell.rows {
                for c in column..column + cell.columns {
                    taken.insert((r, c));
                }
            }
            placed.push((row, column, *cell));
            column += cell.columns;
        }
    }
    placed
}

/// Whether the placed cells of `table` cover a grid `width` columns wide once each.
#[cfg(test)]
pub fn covers_once(table: &[Vec<Cell>], width: usize) -> bool {
    let mut covered = vec![vec![0; width]; table.len()];
    for (row, column, cell) in placed(table) {
        for r in row..row + cell.rows {
            for c in column..column + cell.columns {
                match covered.get_mut(r).and_then(|cells| cells.get_mut(c)) {
                    Some(n) => *n += 1,
                    None => return false,
                }
            }
        }
    }
    covered.iter().flatten().all(|n| *n == 1)
}
