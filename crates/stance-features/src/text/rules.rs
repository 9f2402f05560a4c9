//! The built-in line rules of the cleaner: what boilerplate, metadata and address lines look
//! like, written as case-insensitive regular expressions over one whitespace-trimmed line.
//!
//! Each pattern is anchored to the whole line or to its start, because the same words inside a
//! paragraph are article text: "Russia refused to subscribe to the plan" must stay, "Subscribe to
//! get the latest posts" must go. The cleaner also applies a word limit before any of these
//! rules, so no long paragraph can be dropped by a pattern.

use regex::{Regex, RegexSet};

/// Prompts and navigation: comment forms, newsletter and share prompts, cookie notices,
/// "related stories" headers.
const BOILERPLATE: &[&str] = &[
    r"^leave a (reply|comment)\b",
    r"^(post|add|write|submit) a comment\b",
    r"^your email address will not be published",
    r"^required fields are marked",
    r"^(cancel reply|post comment|submit comment)$",
    r"^\d+ (comments?|responses?|replies)$",
    r"^(no|view|show|load|hide|read) (more |all )?comments$",
    r"^comments?( \(\d+\))?$",
    r"^(back|scroll back|return|go back) to top$",
    r"^skip to (main )?content$",
    r"^you (may|might) (also )?(like|be interested in|enjoy)\b",
    r"^(related|recommended|suggested|popular|trending|latest|more) (stories|articles|posts|news|reads|reading|videos|content)$",
    r"^(read|see) (more|also)\b[^.!?]{0,120}$",
    r"^(continue|keep) reading\b[^.!?]{0,120}$",
    r"^discover more from\b",
    r"^subscribe\b",
    r"^(sign up|signup|register|join)\b.{0,120}\b(newsletters?|e-?mails?|inbox|alerts|updates)\b",
    r"^(get|receive)\b.{0,160}\b(newsletters?|our (daily |weekly )?e-?mails?|(in|to) your inbox)\b",
    r"\bby submitting a (news|press) release\b",
    r"^(share|share this( article| story| post| page)?|tweet|print|e-?mail|sms|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|pinterest|copy link)$",
    r"^share (this|on|via)\b",
    r"^follow us\b",
    r"^(we|this (web)?site) uses? cookies\b",
    r"^(accept|reject|allow) (all )?cookies$",
    r"^cookie (policy|settings|preferences|notice)$",
    r"^(privacy policy|terms of (use|service)|all rights reserved)\b",
    r"^(copyright\b|©)",
    r"^(advertisement|advertising|sponsored( content)?)$",
    r"^(click|tap) here\b",
];

/// Wire-service and agency names that appear alone on a credit line ("AP/ABC", "Reuters").
const AGENCIES: &str = r"(ap|afp|reuters|abc|bbc|cnn|dpa|ani|pti|upi|tass|ria novosti|ria|xinhua|efe|ansa|ians|bloomberg|associated press|agence france-presse|agencies|staff|wires?)";

/// Metadata lines that hold no article text: a bare site name, a source or photo credit, a
/// line of agency names. (Bylines are separate: see [`LineRules::is_byline`].)
fn metadata_patterns() -> Vec<String> {
    vec![
        r"^(www\.)?[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.[a-z]{2,}$".to_owned(),
        r"^(source|sources|via|credit|credits|photo|photos|image|images|picture|pictures|photograph)\s*:\s*\S"
            .to_owned(),
        format!(r"^{AGENCIES}(\s*(/|,|&|\band\b|\bwith\b)\s*{AGENCIES})*\.?$"),
    ]
}

/// "By Paul Kirby", "Reporting by ..."; and a name followed by a newsroom role ("Paul Kirby,
/// Digital Europe editor" — in the samples scraped as "Paul KirbyDigital editor of Europe").
const BYLINES: &[&str] = &[
    r"^(?i:by)\s+\p{Lu}",
    r"(?i)^(additional )?(reporting|writing|editing) by\b",
    r"^\p{Lu}[\p{L}'’-]*\s+\p{Lu}[\p{L}'’-]*\b.*\b(?i:editor|correspondent|reporter|journalist|staff writer|contributor|columnist)s?\b",
];

/// Where a line of an address block belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AddressPart {
    /// "Physical Address", "Contact us".
    Label,
    /// "304 North Cardinal St.", "Suite 200", "PO Box 12".
    Street,
    /// "Dorchester Center, MA 02124", "London SW1A 2AA", "75008 Paris".
    Locality,
    /// A phone number or e-mail address.
    Contact,
}

const ADDRESS_LABEL: &str = r"(?i)^((physical|mailing|postal|street|office|head office|registered office|business|our) )?address:?$|^(contact( us| information| info| details)?|location|headquarters|get in touch):?$";
const ADDRESS_STREET: &str = r"(?i)^\d{1,6}[a-z]?(-\d+)?\s+(\S+\s+){0,5}(st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|way|ct|court|pl|place|sq|square|hwy|highway|pkwy|parkway|terrace|crescent|close|row)\.?(\s*,.*)?$|^(suite|ste|floor|fl|unit|room|apt)\.?\s*#?\d+|^p\.?\s*o\.?\s*box\s+\d+";
const ADDRESS_LOCALITY: &str = r"^[\p{L} .'-]+,\s*[A-Z]{2}\s+\d{5}(-\d{4})?$|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$|^\d{4,5}\s+\p{Lu}[\p{L} -]+$";
const ADDRESS_CONTACT: &str = r"(?i)^(tel|phone|telephone|fax|mobile|e-?mail)\s*[:.]?\s*\S|^\+?[\d ()./-]{7,}$|^[\w.+-]+@[\w-]+(\.[\w-]+)+$";

/// The compiled built-in rules.
#[derive(Clone, Debug)]
pub(crate) struct LineRules {
    boilerplate: RegexSet,
    metadata: RegexSet,
    bylines: RegexSet,
    label: Regex,
    street: Regex,
    locality: Regex,
    contact: Regex,
}

impl LineRules {
    /// Compiles the built-in rules (fixed patterns, tested to compile).
    pub(crate) fn new() -> Self {
        let insensitive = |patterns: &[String]| {
            RegexSet::new(patterns.iter().map(|p| format!("(?i){p}")))
                .expect("built-in cleaner patterns compile")
        };
        let own = |patterns: &[&str]| patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        let regex = |p: &str| Regex::new(p).expect("built-in address patterns compile");
        Self {
            boilerplate: insensitive(&own(BOILERPLATE)),
            metadata: insensitive(&metadata_patterns()),
            bylines: RegexSet::new(BYLINES).expect("built-in byline patterns compile"),
            label: regex(ADDRESS_LABEL),
            street: regex(ADDRESS_STREET),
            locality: regex(ADDRESS_LOCALITY),
            contact: regex(ADDRESS_CONTACT),
        }
    }

    /// A newsletter, comment, share or navigation prompt.
    pub(crate) fn is_boilerplate(&self, line: &str) -> bool {
        self.boilerplate.is_match(line)
    }

    /// A site name, source credit or agency line.
    pub(crate) fn is_metadata(&self, line: &str) -> bool {
        self.metadata.is_match(line)
    }

    /// A byline: the caller checks it is short and has no final punctuation.
    pub(crate) fn is_byline(&self, line: &str) -> bool {
        self.bylines.is_match(line)
    }

    /// Which part of an address `line` could be.
    pub(crate) fn address_part(&self, line: &str) -> Option<AddressPart> {
        if self.label.is_match(line) {
            Some(AddressPart::Label)
        } else if self.street.is_match(line) {
            Some(AddressPart::Street)
        } else if self.locality.is_match(line) {
            Some(AddressPart::Locality)
        } else if self.contact.is_match(line) {
            Some(AddressPart::Contact)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_parts() {
        let rules = LineRules::new();
        let cases = [
            ("Physical Address", Some(AddressPart::Label)),
            ("Contact us:", Some(AddressPart::Label)),
            ("304 North Cardinal St.", Some(AddressPart::Street)),
            ("1600 Pennsylvania Avenue, NW", Some(AddressPart::Street)),
            ("PO Box 12", Some(AddressPart::Street)),
            ("Dorchester Center, MA 02124", Some(AddressPart::Locality)),
            ("London SW1A 2AA", Some(AddressPart::Locality)),
            ("75008 Paris", Some(AddressPart::Locality)),
            ("Tel: +44 20 7946 0000", Some(AddressPart::Contact)),
            ("news@example.org", Some(AddressPart::Contact)),
            ("The summit opened on Thursday.", None),
            ("10 Downing Street said the talks would go on.", None),
            ("30 countries", None),
        ];
        for (line, expected) in cases {
            assert_eq!(rules.address_part(line), expected, "{line:?}");
        }
    }
}
