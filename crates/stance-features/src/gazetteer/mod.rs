//! The gazetteer: who the actors are and what they propose, and where a text mentions them.
//!
//! A TOML file ([`schema`]) lists actors (countries, people, organisations) with every spelling
//! of their names, the adjectives and capitals that stand for them, and the roles people hold
//! with dates; role nouns; seats of government; proposals with their terms and exclusions; and
//! a discard list. [`Gazetteer::from_toml`] validates it once (every [`Problem`] with file line,
//! see [`check`]) and compiles all spellings into one ASCII-case-insensitive byte trie.
//! [`Gazetteer::find`] then walks the trie from each word start of a text and
//! keeps the longest spelling that ends on a word boundary (leftmost-longest, so "Russian
//! sovereignty over Crimea" is a proposal, not Russia), handling possessives ("Kyiv's"),
//! demonym plurals ("Ukrainians"), role nouns after a country word resolved with the article's
//! date ("the British prime minister" on 2025-04-23 is Starmer), a role noun alone after "the"
//! referring back to the nearest earlier mention of someone holding it ("Starmer ... the Prime
//! Minister"), capitals that name their government ("Moscow rejected", "according to the
//! Kremlin": metonyms) and capitals named as places ("talks in Moscow", "in China and Europe":
//! place mentions, still of the country; a dateline in capitals is no mention), collective role
//! nouns located by a capital ("officials in Kyiv"), and names garbled by machine translation
//! ([`fuzzy`](self#fuzzy-names)).
//! [`pair_mentions`] pairs actor and proposal mentions sentence by sentence.
//!
//! ```
//! use stance_features::gazetteer::{Gazetteer, How};
//!
//! let toml = r#"
//! [[actors]]
//! id = "uk"
//! name = "United Kingdom"
//! kind = "country"
//! aliases = ["UK", "Britain"]
//! adjectives = ["British"]
//! metonyms = ["London"]
//!
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
//! nouns = ["prime minister"]
//!
//! [[proposals]]
//! id = "ceasefire"
//! name = "Ceasefire"
//! terms = ["{ceasefire|cease-fire|truce}"]
//!
//! [metonymy]
//! locative_before = ["in"]
//! "#;
//! let gazetteer = Gazetteer::from_toml(toml, "gazetteer.toml")?;
//! let text = "Britain's prime minister, in London, backed the truce; London agreed. Starmer \
//!             said the prime minister would sign it.";
//! let found: Vec<_> = gazetteer
//!     .find(text, Some("2025-04-23".parse()?))
//!     .iter()
//!     .map(|m| (m.text, m.how))
//!     .collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("Britain's prime minister", How::Role),
//!         ("London", How::Place),
//!         ("truce", How::Term),
//!         ("London", How::Metonym),
//!         ("Starmer", How::Alias),
//!         ("prime minister", How::Role),
//!     ]
//! );
//! # Ok::<(), stance_features::Error>(())
//! ```
//!
//! # Fuzzy names
//!
//! See the `fuzzy` module: two adjacent capitalized words where one is a word of a person's
//! two-word alias and the other its other word misspelt by one edit (two for long words).

mod compile;
mod date;
mod fuzzy;
mod matcher;
mod mention;
mod pair;
mod problem;
pub mod schema;
mod trie;
mod variants;
mod words;

pub use compile::{Actor, Gazetteer, Proposal, check};
pub use date::Date;
pub use mention::{ActorId, How, Mention, ProposalId, RoleId, RoleMatch, Target};
pub use pair::{Pair, Window, pair_mentions};
pub use problem::{Problem, ProblemKind, line_column};
pub use schema::ActorKind;
pub use variants::expand;
