//! The 查询码: 12 characters of Crockford base32 (60 random bits), shown as `XXXX-XXXX-XXXX`.
//! Enough that guessing another visitor's code is hopeless, short enough to copy by hand.

use std::fmt;

/// Crockford's alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LEN: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueryCode(String);

impl QueryCode {
    /// A fresh random code.
    pub fn generate() -> std::io::Result<Self> {
        let bytes = gongkai_core::random::bytes::<8>()?;
        let mut bits = u64::from_le_bytes(bytes);
        let code = (0..LEN)
            .map(|_| {
                let c = ALPHABET[(bits & 31) as usize] as char;
                bits >>= 5;
                c
            })
            .collect();
        Ok(Self(code))
    }

    /// Reads a code as a visitor might type it: any case, with or without hyphens and
    /// spaces, O for 0 and I or L for 1.
    pub fn parse(input: &str) -> Option<Self> {
        let mut code = String::with_capacity(LEN);
        for c in input.chars().filter(|c| !matches!(c, '-' | ' ' | '\u{3000}')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || code.len() == LEN {
                return None;
            }
            code.push(c);
        }
        (code.len() == LEN).then_some(Self(code))
    }

    /// The 12 characters without hyphens, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QueryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_what_a_visitor_types() {
        let code = QueryCode::generate().unwrap();
        assert_eq!(code.as_str().len(), 12);
        let shown = code.to_string();
        assert_eq!(QueryCode::parse(&shown), Some(code.clone()));
        assert_eq!(QueryCode::parse(&shown.to_lowercase().replace('-', " ")), Some(code));
        assert_eq!(QueryCode::parse("oi1L-0000-0000").unwrap().as_str(), "011100000000");
    }

    #[test]
    fn refuses_what_is_not_a_code() {
        for bad in ["", "ABCD-EFGH-JKM", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKU0", "中文中文-0000-0000", "' OR 1=1 --"] {
            assert_eq!(QueryCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn codes_differ() {
        let codes: std::collections::HashSet<_> = (0..1000).map(|_| QueryCode::generate().unwrap()).collect();
        assert_eq!(codes.len(), 1000);
    }
}
