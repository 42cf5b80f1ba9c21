//! Who applied, as the annual report's columns count applicants: 自然人, and 法人或其他组织
//! of five kinds. The phone form asks it plainly; each application's class is kept beside it
//! for the report.

use super::form::{Fields, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApplicantClass {
    NaturalPerson,
    Business,
    Research,
    PublicWelfare,
    LegalServices,
    OtherOrganisation,
}

/// The form's 申请人类型: a person, or an organisation of one of `ORGANISATION_TYPES`.
pub const APPLICANT_TYPES: &[&str] = &[PERSON, ORGANISATION];
pub const ORGANISATION: &str = "法人或其他组织";
/// The form's 单位类型, in the order of the organisation columns of `ApplicantClass::ALL`.
pub const ORGANISATION_TYPES: &[&str] = &["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"];
const PERSON: &str = "自然人";

impl ApplicantClass {
    pub const ALL: [ApplicantClass; 6] = [
        ApplicantClass::NaturalPerson,
        ApplicantClass::Business,
        ApplicantClass::Research,
        ApplicantClass::PublicWelfare,
        ApplicantClass::LegalServices,
        ApplicantClass::OtherOrganisation,
    ];

    /// The report's column heading (under 法人或其他组织 for all but 自然人).
    pub fn label(self) -> &'static str {
        match self as usize {
            0 => PERSON,
            organisation => ORGANISATION_TYPES[organisation - 1],
        }
    }

    /// The name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantClass::NaturalPerson => "natural_person",
            ApplicantClass::Business => "business",
            ApplicantClass::Research => "research",
            ApplicantClass::PublicWelfare => "public_welfare",
            ApplicantClass::LegalServices => "legal_services",
            ApplicantClass::OtherOrganisation => "other_organisation",
        }
    }

    pub fn parse(text: &str) -> Option<ApplicantClass> {
        ApplicantClass::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The class of the applicant who filled in `fields`; none for other kinds of submission.
    pub fn of(kind: Kind, fields: &Fields) -> Option<ApplicantClass> {
        if kind != Kind::Apply {
            return None;
        }
        if fields.get("applicant_type") == Some(PERSON) {
            return Some(ApplicantClass::NaturalPerson);
        }
        let kind = fields.get("organisation_type").and_then(|t| ORGANISATION_TYPES.iter().position(|o| *o == t));
        Some(kind.map_or(ApplicantClass::OtherOrganisation, |n| ApplicantClass::ALL[n + 1]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submissions::form::Entry;

    fn answers(pairs: &[(&str, &str)]) -> Fields {
        Fields(pairs.iter().map(|(name, value)| Entry { name: name.to_string(), label: String::new(), value: value.to_string() }).collect())
    }

    #[test]
    fn each_applicant_falls_in_one_column() {
        let class = |pairs: &[(&str, &str)]| ApplicantClass::of(Kind::Apply, &answers(pairs));
        assert_eq!(class(&[("applicant_type", "自然人")]), Some(ApplicantClass::NaturalPerson));
        assert_eq!(class(&[("applicant_type", "法人或其他组织"), ("organisation_type", "法律服务机构")]), Some(ApplicantClass::LegalServices));
        assert_eq!(class(&[("applicant_type", "法人或其他组织")]), Some(ApplicantClass::OtherOrganisation), "kind not given");
        assert_eq!(ApplicantClass::of(Kind::Opinion, &answers(&[("applicant_type", "自然人")])), None);
        for c in ApplicantClass::ALL {
            assert_eq!(ApplicantClass::parse(c.as_str()), Some(c));
        }
    }
}
