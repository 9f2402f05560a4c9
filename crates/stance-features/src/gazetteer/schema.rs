//! The gazetteer file as written: serde types for the TOML, each value that a problem report may
//! point at kept with its byte span ([`toml::Spanned`]) so a report can say file:line.
//!
//! ```toml
//! [[actors]]
//! id = "starmer"
//! name = "Keir Starmer"
//! kind = "person"
//! country = "uk"
//! aliases = ["Keir Starmer", "Starmer"]
//! roles = [{ role = "head_of_government", of = "uk", from = "2024-07-05" }]
//!
//! [[roles]]
//! id = "head_of_government"
//! nouns = ["prime minister", "PM"]
//!
//! [[seats]]
//! names = ["Downing Street", { text = "No 10", case = "sensitive" }]
//! of = "uk"
//!
//! [[proposals]]
//! id = "ceasefire"
//! name = "Ceasefire"
//! terms = ["{ceasefire|cease-fire|truce}{|s}", "halt to the fighting"]
//! exclude = ["ceasefire violation"]
//!
//! discard = ["Wall Street Journal"]
//! ```

use serde::Deserialize;
use toml::Spanned;

/// A whole gazetteer file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GazetteerFile {
    /// Countries, people and organisations.
    #[serde(default)]
    pub actors: Vec<ActorSpec>,
    /// Role names and the nouns that name them in text.
    #[serde(default)]
    pub roles: Vec<RoleSpec>,
    /// Buildings and addresses that stand for a government ("the Kremlin").
    #[serde(default)]
    pub seats: Vec<SeatSpec>,
    /// What actors take positions on.
    #[serde(default)]
    pub proposals: Vec<ProposalSpec>,
    /// Phrases that are never mentions (and hide any alias inside them): mastheads, boilerplate.
    #[serde(default)]
    pub discard: Vec<Spanned<Phrase>>,
    /// When a capital city names its place rather than its government.
    #[serde(default)]
    pub metonymy: MetonymySpec,
}

/// What an actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A state.
    Country,
    /// A person.
    Person,
    /// An alliance, a union, an institution.
    Organisation,
}

impl ActorKind {
    /// The name used in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Country => "country",
            ActorKind::Person => "person",
            ActorKind::Organisation => "organisation",
        }
    }
}

/// One `[[actors]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    /// The identifier other tools use (`russia`, `putin`).
    pub id: Spanned<String>,
    /// The display name.
    pub name: String,
    /// Country, person or organisation.
    pub kind: ActorKind,
    /// A person's or organisation's country (an actor id).
    #[serde(default)]
    pub country: Option<Spanned<String>>,
    /// Alliances and unions the actor belongs to (actor ids).
    #[serde(default)]
    pub member_of: Vec<Spanned<String>>,
    /// Every spelling of the name; each is a mention.
    #[serde(default)]
    pub aliases: Vec<Spanned<Phrase>>,
    /// Adjectives ("Russian"): not mentions alone, but they qualify role nouns ("Russian foreign
    /// minister"); one ending in "an" also gives its plural as an alias ("Russians").
    #[serde(default)]
    pub adjectives: Vec<Spanned<Phrase>>,
    /// Place names that stand for the government ("Moscow"), except where they name the place
    /// (after "in", before "summit": see [`MetonymySpec`]).
    #[serde(default)]
    pub metonyms: Vec<Spanned<Phrase>>,
    /// Offices held, with dates.
    #[serde(default)]
    pub roles: Vec<Spanned<HeldRole>>,
}

/// A role held by a person: `{ role = "head_of_government", of = "uk", from = "2024-07-05" }`.
/// `from` is the first day in office, `to` the first day out of it (the day the successor takes
/// over); either may be missing for an open end.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldRole {
    /// A role id of `[[roles]]`.
    pub role: Spanned<String>,
    /// The country or organisation (an actor id).
    pub of: Spanned<String>,
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: Option<Spanned<String>>,
    /// First day after the role ended, `YYYY-MM-DD`.
    #[serde(default)]
    pub to: Option<Spanned<String>>,
}

/// One `[[roles]]` table: a role and the nouns that name it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// The role's id (`head_of_state`).
    pub id: Spanned<String>,
    /// Nouns naming it after a country word ("Russian *president*", "*president* of Russia").
    pub nouns: Vec<Spanned<Phrase>>,
    /// Whether a noun of the role followed by "in" and a capital or seat names that capital's
    /// government ("officials in Kyiv", "the government in Budapest"); for roles of a whole
    /// government, not of one person ("the president in Kyiv" is not said).
    #[serde(default)]
    pub located: bool,
}

/// One `[[seats]]` table: places that stand for a government.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeatSpec {
    /// The seat's spellings ("Kremlin").
    pub names: Vec<Spanned<Phrase>>,
    /// Whose government (an actor id).
    pub of: Spanned<String>,
    /// When the seat stands for one office ("Oval Office"): its role id; the mention then
    /// resolves to the holder on the article's date, as a role noun does.
    #[serde(default)]
    pub role: Option<Spanned<String>>,
}

/// One `[[proposals]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalSpec {
    /// The identifier other tools use (`ceasefire`).
    pub id: Spanned<String>,
    /// The display name.
    pub name: String,
    /// The phrases naming it; `{a|b}` writes alternatives (`{cede|concede} {territory|land}`).
    pub terms: Vec<Spanned<Phrase>>,
    /// Phrases that contain a term but do not name the proposal; same `{a|b}` syntax.
    #[serde(default)]
    pub exclude: Vec<Spanned<Phrase>>,
}

/// Where a metonym names a place: the words before or after it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetonymySpec {
    /// Words or phrases that make the following place name a location ("in", "visit", "trip to");
    /// `{a|b}` writes alternatives.
    #[serde(default)]
    pub locative_before: Vec<Spanned<String>>,
    /// Words that make the preceding place name a modifier of a place ("summit", "talks"); one
    /// starting with "-" follows without a space ("-based").
    #[serde(default)]
    pub locative_after: Vec<Spanned<String>>,
    /// Phrases ending in a word of `locative_before` that do not make a place ("according to":
    /// "according to the Kremlin" names the government); `{a|b}` writes alternatives.
    #[serde(default)]
    pub not_locative_before: Vec<Spanned<String>>,
}

/// A phrase as written: a string, or a table that sets its case rule.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Phrase {
    /// Just the text; case-insensitive unless it is an all-capital word of at most three
    /// letters ("US", "UK"), which must match exactly so that "us" is not the United States.
    Text(String),
    /// The text with an explicit case rule.
    Table {
        /// The text.
        text: String,
        /// Whether case matters.
        case: CaseRule,
    },
}

/// Whether a phrase's letters must match in case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseRule {
    /// "NATO" matches "Nato" and "nato".
    Insensitive,
    /// "US" matches only "US".
    Sensitive,
}

impl Phrase {
    /// The text.
    pub fn text(&self) -> &str {
        match self {
            Phrase::Text(t) | Phrase::Table { text: t, .. } => t,
        }
    }

    /// Whether matching must respect case: the explicit rule, else the all-capitals rule.
    pub fn case_sensitive(&self) -> bool {
        match self {
            Phrase::Table { case, .. } => *case == CaseRule::Sensitive,
            Phrase::Text(t) => {
                let letters = t.chars().filter(|c| c.is_alphabetic()).count();
                letters > 0 && letters <= 3 && t.chars().all(|c| c.is_ascii_uppercase() || c == '.')
            }
        }
    }
}

/// Parses the TOML of a gazetteer file; on failure, the parser's message and the byte span it
/// points at.
pub fn parse(source: &str) -> Result<GazetteerFile, (String, Option<std::ops::Range<usize>>)> {
    toml::from_str(source).map_err(|e| (e.message().to_string(), e.span()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_choose_their_case_rule() {
        let cases: &[(Phrase, bool)] = &[
            (Phrase::Text("US".into()), true),
            (Phrase::Text("U.S.".into()), true),
            (Phrase::Text("EU".into()), true),
            (Phrase::Text("NATO".into()), false),
            (Phrase::Text("Us".into()), false),
            (Phrase::Text("Moscow".into()), false),
            (
                Phrase::Table {
                    text: "No 10".into(),
                    case: CaseRule::Sensitive,
                },
                true,
            ),
            (
                Phrase::Table {
                    text: "UK".into(),
                    case: CaseRule::Insensitive,
                },
                false,
            ),
        ];
        for (phrase, expected) in cases {
            assert_eq!(phrase.case_sensitive(), *expected, "{phrase:?}");
        }
    }

    #[test]
    fn parses_a_file_with_spans() {
        let src = "discard = [\"RT\"]\n[[actors]]\nid = \"uk\"\nname = \"United Kingdom\"\nkind = \"country\"\naliases = [\"UK\", { text = \"Britain\", case = \"insensitive\" }]\n";
        let file = parse(src).unwrap();
        assert_eq!(file.actors.len(), 1);
        let uk = &file.actors[0];
        assert_eq!(uk.id.get_ref(), "uk");
        assert_eq!(&src[uk.id.span()], "\"uk\"");
        assert_eq!(uk.aliases[1].get_ref().text(), "Britain");
        assert_eq!(file.discard[0].get_ref().text(), "RT");
    }

    #[test]
    fn refuses_unknown_fields_and_kinds_with_a_span() {
        for src in [
            "[[actors]]\nid = \"x\"\nname = \"X\"\nkind = \"planet\"\n",
            "[[actors]]\nid = \"x\"\nname = \"X\"\nkind = \"country\"\nalias = [\"X\"]\n",
        ] {
            let (message, span) = parse(src).unwrap_err();
            assert!(span.is_some(), "{message}");
        }
    }
}
