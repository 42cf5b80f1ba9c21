//! Scans displayed text for personal data and for characters the font cannot draw.
//! The rules are documented in `docs/content-format.md` ("Personal data and masking").

use chrono::NaiveDate;

use super::font_coverage::{font_has, needs_glyph};

/// Unmasked personal data found in a piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonalData {
    IdCardNumber { char_index: usize },
    MobileNumber { char_index: usize },
}

impl std::fmt::Display for PersonalData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Counted from 1 for the people who read the message.
            Self::IdCardNumber { char_index } => write!(
                f,
                "unmasked 身份证号 at character {}; mask the birth date, e.g. 360402********1234",
                char_index + 1
            ),
            Self::MobileNumber { char_index } => write!(
                f,
                "unmasked mobile number at character {}; mask the middle four digits, e.g. 138****5678",
                char_index + 1
            ),
        }
    }
}

/// Finds 18-character 身份证号 and 11-digit mobile numbers that are not masked.
pub fn find_personal_data(text: &str) -> Vec<PersonalData> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        let before = start.checked_sub(1).map(|p| chars[p]);
        let touches_word_before = before.is_some_and(|c| c.is_ascii_alphanumeric());
        if digits.len() == 17 && matches!(chars.get(i), Some('X' | 'x')) {
            let after = chars.get(i + 1);
            if !touches_word_before
                && !after.is_some_and(|c| c.is_ascii_alphanumeric())
                && has_birth_date(&digits)
            {
                found.push(PersonalData::IdCardNumber { char_index: start });
            }
            i += 1;
            continue;
        }
        let touches_word_after = chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
        if touches_word_before || touches_word_after {
            continue;
        }
        if digits.len() == 18 && has_birth_date(&digits) {
            found.push(PersonalData::IdCardNumber { char_index: start });
        } else if is_mobile(&digits) || (digits.len() == 13 && digits.starts_with("86") && is_mobile(&digits[2..])) {
            found.push(PersonalData::MobileNumber { char_index: start });
        }
    }
    found
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// Digits 7–14 of a 身份证号 are the holder's date of birth.
fn has_birth_date(digits: &str) -> bool {
    let Some(birth) = digits.get(6..14) else { return false };
    let (Ok(year), Ok(month), Ok(day)) =
        (birth[0..4].parse::<i32>(), birth[4..6].parse::<u32>(), birth[6..8].parse::<u32>())
    else {
        return false;
    };
    (1900..=2100).contains(&year) && NaiveDate::from_ymd_opt(year, month, day).is_some()
}

/// A natural person's name published as surname plus one to three `*` (张**, 欧阳*).
pub fn is_masked_person_name(name: &str) -> bool {
    let chars: Vec<char> = name.trim().chars().collect();
    let surname_len = chars.iter().take_while(|c| is_cjk_ideograph(**c)).count();
    let stars = chars.len() - surname_len;
    (1..=2).contains(&surname_len)
        && (1..=3).contains(&stars)
        && chars[surname_len..].iter().all(|c| matches!(c, '*' | '＊'))
}

fn is_cjk_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Distinct characters of `text` the shipped font cannot draw, in order of appearance.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let mut missing: Vec<char> = Vec::new();
    for c in text.chars() {
        if needs_glyph(c) && !font_has(c) && !missing.contains(&c) {
            missing.push(c);
        }
    }
    missing
}

/// `"𠀀" U+20000, "😀" U+1F600` — readable even when the terminal lacks the glyph too.
pub fn describe_chars(chars: &[char]) -> String {
    const SHOWN: usize = 12;
    let mut listed: Vec<String> = chars
        .iter()
        .take(SHOWN)
        .map(|c| format!("{:?} U+{:04X}", c, *c as u32))
        .collect();
    if chars.len() > SHOWN {
        listed.push(format!("and {} more", chars.len() - SHOWN));
    }
    listed.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_unmasked_id_card_numbers() {
        assert_eq!(
            find_personal_data("身份证号：36040219850312123X，"),
            vec![PersonalData::IdCardNumber { char_index: 5 }]
        );
        assert_eq!(find_personal_data("360402198503121234").len(), 1);
    }

    #[test]
    fn accepts_masked_or_implausible_id_numbers() {
        assert!(find_personal_data("360402********1234").is_empty());
        assert!(find_personal_data("3604**********123X").is_empty());
        // Digits 7–14 are not a date: an account or order number, not an identity.
        assert!(find_personal_data("123456999999991234").is_empty());
        // Part of a longer code such as a 统一社会信用代码 with letters.
        assert!(find_personal_data("MB360402198503121234").is_empty());
    }

    #[test]
    fn finds_unmasked_mobile_numbers() {
        assert_eq!(
            find_personal_data("联系电话13812345678"),
            vec![PersonalData::MobileNumber { char_index: 4 }]
        );
        assert_eq!(find_personal_data("+8613812345678").len(), 1);
        assert_eq!(find_personal_data("+86 13812345678").len(), 1);
    }

    #[test]
    fn accepts_masked_mobiles_landlines_and_hotlines() {
        assert!(find_personal_data("138****5678").is_empty());
        assert!(find_personal_data("0794-8123456、12345").is_empty());
        assert!(find_personal_data("编号2024013812345678").is_empty());
        assert!(find_personal_data("12812345678").is_empty());
    }

    #[test]
    fn masked_person_names() {
        for ok in ["张**", "欧阳*", "李*", "王＊＊"] {
            assert!(is_masked_person_name(ok), "{ok}");
        }
        for bad in ["张三", "张", "**", "张****", "Zhang**", "张*三", "欧阳修远*"] {
            assert!(!is_masked_person_name(bad), "{bad}");
        }
    }

    #[test]
    fn reports_missing_glyphs_once_each() {
        assert_eq!(missing_glyphs("公开😀😀\n正常"), vec!['😀']);
        assert_eq!(describe_chars(&['😀']), "'😀' U+1F600");
    }
}
