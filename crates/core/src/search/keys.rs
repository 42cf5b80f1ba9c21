//! Posting-list keys: a tag in the top byte, the gram below it.

use super::pinyin_table::Syllable;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title = 0,
    /// 文号, 发文机关 and the like.
    Meta = 1,
    Body = 2,
}

const CHAR: u64 = 0; // + field
const CHAR_PAIR: u64 = 3; // + field
const SYLLABLE: u64 = 6;
const SYLLABLE_PAIR: u64 = 7;
const INITIAL: u64 = 8;
const INITIAL_PAIR: u64 = 9;
const FIRST_CHAR: u64 = 10;
const FIRST_SYLLABLE: u64 = 11;
const FIRST_INITIAL: u64 = 12;
const TITLE_LENGTH: u64 = 13;
const SYLLABLE_INITIAL: u64 = 14;
const INITIAL_SYLLABLE: u64 = 15;
const FIRST_CHAR_PAIR: u64 = 16;
const FIRST_SYLLABLE_PAIR: u64 = 17;
const FIRST_INITIAL_PAIR: u64 = 18;

fn key(tag: u64, payload: u64) -> u64 {
    tag << 56 | payload
}

pub fn char(field: Field, c: char) -> u64 {
    key(CHAR + field as u64, c as u64)
}

pub fn char_pair(field: Field, a: char, b: char) -> u64 {
    key(CHAR_PAIR + field as u64, (a as u64) << 21 | b as u64)
}

pub fn syllable(s: Syllable) -> u64 {
    key(SYLLABLE, s as u64)
}

pub fn syllable_pair(a: Syllable, b: Syllable) -> u64 {
    key(SYLLABLE_PAIR, (a as u64) << 16 | b as u64)
}

pub fn initial(letter: u8) -> u64 {
    key(INITIAL, letter as u64)
}

pub fn initial_pair(a: u8, b: u8) -> u64 {
    key(INITIAL_PAIR, (a as u64) << 8 | b as u64)
}

pub fn syllable_initial(a: Syllable, b: u8) -> u64 {
    key(SYLLABLE_INITIAL, (a as u64) << 8 | b as u64)
}

pub fn initial_syllable(a: u8, b: Syllable) -> u64 {
    key(INITIAL_SYLLABLE, (a as u64) << 16 | b as u64)
}

/// The first two characters of a title.
pub fn first_char_pair(a: char, b: char) -> u64 {
    key(FIRST_CHAR_PAIR, (a as u64) << 21 | b as u64)
}

pub fn first_syllable_pair(a: Syllable, b: Syllable) -> u64 {
    key(FIRST_SYLLABLE_PAIR, (a as u64) << 16 | b as u64)
}

pub fn first_initial_pair(a: u8, b: u8) -> u64 {
    key(FIRST_INITIAL_PAIR, (a as u64) << 8 | b as u64)
}

pub fn first_char(c: char) -> u64 {
    key(FIRST_CHAR, c as u64)
}

pub fn first_syllable(s: Syllable) -> u64 {
    key(FIRST_SYLLABLE, s as u64)
}

pub fn first_initial(letter: u8) -> u64 {
    key(FIRST_INITIAL, letter as u64)
}

/// Titles of this many characters (after folding): whole-title matches come from here.
pub fn title_length(chars: usize) -> u64 {
    key(TITLE_LENGTH, chars as u64)
}
