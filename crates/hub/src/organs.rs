//! The 行政机关 one hub serves (`hub-config/organs.toml`): district departments, streets and
//! townships. Each case has its 承办机关, which signs its 文书; staff belong to one organ and
//! handle its cases. An applicant picks the organ on the phone form; the first organ listed is
//! preselected (统一受理) and hands each case on (转办) to the organ that handles it.
//!
//! A hub started without the list serves one organ: the `[issuer]` of `letters.toml`, whose id
//! is `main`.

use std::{fs, path::Path};

use serde::Deserialize;

use crate::letters::templates::Issuer;

/// The id of the one organ of a hub started without `--organs`.
pub const SINGLE: &str = "main";

/// The longest organ id taken; it is typed in the accounts' command line.
const MAX_ID_CHARS: usize = 32;

#[derive(Debug, Clone, Deserialize)]
pub struct Organ {
    /// Short and stable (`fgw`, `yunxi-jd`): cases and accounts keep it.
    pub id: String,
    /// Its name, address, telephone, 复议机关 and 管辖法院, as its letters give them.
    #[serde(flatten)]
    pub details: Issuer,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgansFile {
    #[serde(default)]
    organ: Vec<Organ>,
}

/// The organs, in the order listed: never empty.
#[derive(Debug, Clone)]
pub struct Organs(Vec<Organ>);

impl Organs {
    /// One organ, the signer of the letters.
    pub fn single(issuer: &Issuer) -> Organs {
        Organs(vec![Organ { id: SINGLE.to_string(), details: issuer.clone() }])
    }

    pub fn load(path: &Path) -> Result<Organs, String> {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Organs::parse(&text, &path.display().to_string())
    }

    /// Reads and checks the text of an organs file called `file` in what it says.
    pub fn parse(text: &str, file: &str) -> Result<Organs, String> {
        let parsed: OrgansFile = toml::from_str(text).map_err(|e| format!("{file}: {}", e.to_string().trim_end()))?;
        if parsed.organ.is_empty() {
            return Err(format!("{file}: no [[organ]]: list at least the organ that receives applications"));
        }
        for (n, organ) in parsed.organ.iter().enumerate() {
            let at = format!("{file}: organ {} ({})", n + 1, organ.details.name);
            check_id(&organ.id).map_err(|reason| format!("{at}: id {:?}: {reason}", organ.id))?;
            for (field, value) in [("name", &organ.details.name), ("address", &organ.details.address), ("phone", &organ.details.phone)] {
                if value.trim().is_empty() {
                    return Err(format!("{at}: {field} is empty"));
                }
            }
            if let Some(earlier) = parsed.organ[..n].iter().find(|o| o.id == organ.id || o.details.name == organ.details.name) {
                return Err(format!("{at}: the same id or name as {} ({})", earlier.id, earlier.details.name));
            }
        }
        Ok(Organs(parsed.organ))
    }

    pub fn all(&self) -> &[Organ] {
        &self.0
    }

    /// More than one: the console then shows who handles each case.
    pub fn several(&self) -> bool {
        self.0.len() > 1
    }

    /// The organ that receives applications whose applicant does not know whose they are.
    pub fn receiving(&self) -> &Organ {
        &self.0[0]
    }

    pub fn get(&self, id: &str) -> Option<&Organ> {
        self.0.iter().find(|organ| organ.id == id)
    }

    /// The organ a case or an account names; one no longer listed signs as the receiving one.
    pub fn or_receiving(&self, id: &str) -> &Organ {
        self.get(id).unwrap_or_else(|| self.receiving())
    }

    /// Its name for staff; an id no longer listed is shown as such.
    pub fn name_of(&self, id: &str) -> String {
        match self.get(id) {
            Some(organ) => organ.details.name.clone(),
            None => format!("机关名单外的机关（{id}）"),
        }
    }
}

/// An id is kept in cases and typed on the command line: lower-case letters, digits and `-`.
pub fn check_id(id: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if id.is_empty() || id.len() > MAX_ID_CHARS || !id.chars().all(allowed) {
        return Err(format!("use 1 to {MAX_ID_CHARS} lower-case letters, digits or -"));
    }
    Ok(())
}

/// An organs file listing organs of these ids and names, each with the same particulars.
#[cfg(test)]
pub(crate) fn listing(organs: &[(&str, &str)]) -> String {
    organs
        .iter()
        .map(|(id, name)| format!("[[organ]]\nid = \"{id}\"\nname = \"{name}\"\naddress = \"人民路 1 号\"\nphone = \"0571-1\"\nreview_organ = \"示例区人民政府\"\ncourt = \"示例区人民法院\"\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../hub-config/organs.toml"));

    fn organ(id: &str, name: &str) -> String {
        listing(&[(id, name)])
    }

    #[test]
    fn the_shipped_list_reads_and_its_first_organ_receives() {
        let organs = Organs::parse(SHIPPED, "organs.toml").unwrap();
        assert!(organs.several());
        assert_eq!(organs.receiving().id, SINGLE, "the hub's single organ goes on as the receiving one");
        assert_eq!(organs.or_receiving("gone").id, SINGLE);
        assert!(organs.name_of("gone").contains("gone"));
    }

    #[test]
    fn a_bad_list_is_refused_with_the_organ_and_the_reason() {
        let refusal = |text: &str| Organs::parse(text, "organs.toml").unwrap_err();
        assert!(refusal("").contains("no [[organ]]"));
        assert!(refusal(&organ("Main", "甲")).contains("organ 1 (甲): id \"Main\""));
        assert!(refusal(&(organ("a", "甲") + &organ("a", "乙"))).contains("organ 2 (乙): the same id or name as a (甲)"));
        assert!(refusal(&(organ("a", "甲") + &organ("b", "甲"))).contains("organ 2 (甲)"));
        assert!(refusal(&organ("a", "甲").replace("court", "courts")).starts_with("organs.toml: "), "an unknown key is named");
        assert!(refusal(&organ("a", "甲").replace("0571-1", " ")).contains("phone is empty"));
        assert_eq!(Organs::parse(&organ("a", "甲"), "organs.toml").unwrap().all().len(), 1);
    }
}
