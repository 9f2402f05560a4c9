//! Validation and compilation: a [`GazetteerFile`] becomes a [`Gazetteer`] only when it has no
//! [`Problem`], and every spelling becomes one pattern of a single byte trie (see `trie`).
//!
//! Why one trie, walked from word starts: a mention must start and end on a word boundary, so
//! matches starting inside a word are never wanted; walking from each word start (instead of
//! an unanchored scan) never has to undo such a match, and it sees every
//! pattern ending along the walk, so when the longest one fails its right boundary ("Mark Ruttes")
//! a shorter one at the same start is still found. The walk reads case-insensitive (ASCII)
//! transitions; case-sensitive spellings ("US") are compared byte for byte on a hit only. A
//! cached bit filter of the patterns' first words (see `words`) skips the walk for most words.
//! An anchored walk needs no failure links, so the trie replaced an Aho-Corasick automaton:
//! for the 7,400 spellings of the peace-talks gazetteer it builds in about 20 ms where the DFA
//! took 115–150 ms and 75 MB. A step of the walk costs more instructions than the DFA's one
//! table look-up per byte (callgrind over the FNC-1 bodies: the walks took 29.4 M instructions
//! against the DFA's 15.0 M, 24.6 M since each node is read once), which the start-up saving
//! (about 440 M) more than pays for; benches/README.md has the measurements.

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use toml::Spanned;

use super::date::Date;
use super::fuzzy::FuzzyIndex;
use super::problem::{Problem, ProblemKind};
use super::schema::{self, ActorKind, GazetteerFile, Phrase};
use super::trie::Trie;
use super::variants::{apostrophe_variants, expand, normalize};
use super::words::FirstWords;
use super::{ActorId, ProposalId, RoleId};
use crate::Error;

/// An actor of a compiled gazetteer.
#[derive(Debug, Clone)]
pub struct Actor {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: ActorKind,
    pub(super) country: Option<ActorId>,
    pub(super) member_of: Vec<ActorId>,
}

impl Actor {
    /// The id (`starmer`).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Country, person or organisation.
    pub fn kind(&self) -> ActorKind {
        self.kind
    }
    /// A person's or organisation's country.
    pub fn country(&self) -> Option<ActorId> {
        self.country
    }
    /// Alliances and unions it belongs to.
    pub fn member_of(&self) -> &[ActorId] {
        &self.member_of
    }
}

/// A proposal of a compiled gazetteer.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub(super) id: String,
    pub(super) name: String,
}

impl Proposal {
    /// The id (`ceasefire`).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// One holder of a role over a period: `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Holding {
    pub(super) role: RoleId,
    pub(super) of: ActorId,
    pub(super) from: Option<Date>,
    pub(super) to: Option<Date>,
    pub(super) holder: ActorId,
}

impl Holding {
    /// Whether the role was held on `date`.
    pub(super) fn covers(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date < t)
    }
}

/// What a pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Alias(ActorId),
    Metonym(ActorId),
    Adjective(ActorId),
    Seat(u32),
    RoleNoun(RoleId),
    Term(ProposalId),
    Exclude(ProposalId),
    Discard,
}

/// A pattern of the trie.
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    pub(super) rule: Rule,
    /// The spelling; compared byte for byte when `exact`.
    pub(super) text: Box<str>,
    pub(super) exact: bool,
    /// Whether the spelling ends in a letter or digit, so the text must not continue with one.
    pub(super) word_end: bool,
    /// For a role noun: whether it is the plural of another noun of the same role ("leaders"),
    /// which never stands alone for one person.
    pub(super) plural: bool,
}

/// A seat of government.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seat {
    pub(super) of: ActorId,
    pub(super) role: Option<RoleId>,
}

/// A validated, compiled gazetteer: build it once with [`Gazetteer::from_toml`], then find
/// mentions in any number of texts with [`Gazetteer::find`].
#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub(super) actors: Vec<Actor>,
    pub(super) proposals: Vec<Proposal>,
    pub(super) roles: Vec<String>,
    /// For each role, whether "noun in <capital>" names the capital's government.
    pub(super) located_roles: Vec<bool>,
    pub(super) holdings: Vec<Holding>,
    pub(super) seats: Vec<Seat>,
    pub(super) patterns: Vec<Pattern>,
    /// Every pattern's spelling, for the walk from a word start.
    pub(super) trie: Trie,
    pub(super) locative_before: Vec<String>,
    pub(super) locative_after: Vec<String>,
    pub(super) not_locative_before: Vec<String>,
    pub(super) fuzzy: FuzzyIndex,
    /// The first words of all patterns, and their first two words.
    pub(super) first_words: FirstWords,
}

impl Gazetteer {
    /// Validates and compiles the TOML `source` read from `path` (used in messages only). Any
    /// [`Problem`] (see [`check`]) refuses the whole file.
    pub fn from_toml(source: &str, path: &str) -> Result<Gazetteer, Error> {
        let (gazetteer, problems) = build(source);
        match gazetteer {
            Some(g) if problems.is_empty() => Ok(g),
            _ => Err(Error::InvalidGazetteer {
                path: path.to_string(),
                problems,
            }),
        }
    }

    /// The actors, indexed by [`ActorId`].
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// The actor `id`.
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.index()]
    }

    /// The actor whose id is `id`.
    pub fn actor_id(&self, id: &str) -> Option<ActorId> {
        self.actors
            .iter()
            .position(|a| a.id == id)
            .map(ActorId::new)
    }

    /// The proposals, indexed by [`ProposalId`].
    pub fn proposals(&self) -> &[Proposal] {
        &self.proposals
    }

    /// The proposal `id`.
    pub fn proposal(&self, id: ProposalId) -> &Proposal {
        &self.proposals[id.index()]
    }

    /// The proposal whose id is `id`.
    pub fn proposal_id(&self, id: &str) -> Option<ProposalId> {
        self.proposals
            .iter()
            .position(|p| p.id == id)
            .map(ProposalId::new)
    }

    /// The id of role `role` (`head_of_state`).
    pub fn role_name(&self, role: RoleId) -> &str {
        &self.roles[role.index()]
    }

    /// How many spellings the trie holds.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }
}

/// Every problem of the gazetteer TOML `source`, in file order; empty when it compiles.
pub fn check(source: &str) -> Vec<Problem> {
    build(source).1
}

/// Collects problems and, when the file parses, the compiled gazetteer (valid only when there
/// are no problems).
fn build(source: &str) -> (Option<Gazetteer>, Vec<Problem>) {
    let file = match schema::parse(source) {
        Ok(file) => file,
        Err((message, span)) => {
            let p = Problem::at(ProblemKind::Syntax, source, span, "", "", message);
            return (None, vec![p]);
        }
    };
    let mut b = Builder {
        source,
        problems: Vec::new(),
    };
    let g = b.compile(&file);
    let mut problems = b.problems;
    problems.sort_by_key(|p| (p.line.unwrap_or(usize::MAX), p.column.unwrap_or(0)));
    (g, problems)
}

/// Who a spelling belongs to, for duplicate detection: two owners may not share a spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Actor(ActorId),
    Role(RoleId),
    Seat(u32),
    Proposal(ProposalId),
    Discard,
}

impl Rule {
    fn owner(self) -> Owner {
        match self {
            Rule::Alias(a) | Rule::Metonym(a) | Rule::Adjective(a) => Owner::Actor(a),
            Rule::Seat(s) => Owner::Seat(s),
            Rule::RoleNoun(r) => Owner::Role(r),
            Rule::Term(p) | Rule::Exclude(p) => Owner::Proposal(p),
            Rule::Discard => Owner::Discard,
        }
    }

    /// Which rule wins when one owner gives a spelling twice (an alias that is also an
    /// adjective): the stronger one.
    fn strength(self) -> u8 {
        match self {
            Rule::Exclude(_) | Rule::Discard => 4,
            Rule::Alias(_) | Rule::Seat(_) | Rule::RoleNoun(_) | Rule::Term(_) => 3,
            Rule::Metonym(_) => 2,
            Rule::Adjective(_) => 1,
        }
    }
}

struct Builder<'s> {
    source: &'s str,
    problems: Vec<Problem>,
}

/// A spelling on its way into the trie.
struct Entry {
    rule: Rule,
    text: String,
    exact: bool,
    span: Range<usize>,
    field: String,
}

impl Builder<'_> {
    fn problem(
        &mut self,
        kind: ProblemKind,
        span: Range<usize>,
        field: String,
        value: &str,
        reason: String,
    ) {
        let p = Problem::at(kind, self.source, Some(span), field, value, reason);
        self.problems.push(p);
    }

    /// An index of ids, reporting repeats.
    fn index<'a>(
        &mut self,
        ids: impl Iterator<Item = (&'a Spanned<String>, String)>,
        what: &str,
    ) -> FxHashMap<String, usize> {
        let mut map = FxHashMap::default();
        for (i, (id, field)) in ids.enumerate() {
            if id.get_ref().trim().is_empty() {
                self.problem(
                    ProblemKind::InvalidPhrase,
                    id.span(),
                    field,
                    id.get_ref(),
                    format!("an empty {what} id"),
                );
            } else if map.contains_key(id.get_ref()) {
                let reason = format!("another {what} already has this id");
                self.problem(
                    ProblemKind::DuplicateId,
                    id.span(),
                    field,
                    id.get_ref(),
                    reason,
                );
            } else {
                map.insert(id.get_ref().clone(), i);
            }
        }
        map
    }

    /// The actor an id refers to; `allowed` kinds only.
    fn actor_ref(
        &mut self,
        actors: &FxHashMap<String, usize>,
        file: &GazetteerFile,
        id: &Spanned<String>,
        field: String,
        allowed: &[ActorKind],
    ) -> Option<ActorId> {
        let Some(&i) = actors.get(id.get_ref()) else {
            let reason = format!("no actor has id {:?}", id.get_ref());
            self.problem(
                ProblemKind::UnknownReference,
                id.span(),
                field,
                id.get_ref(),
                reason,
            );
            return None;
        };
        let kind = file.actors[i].kind;
        if !allowed.contains(&kind) {
            let kinds: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
            let reason = format!(
                "actor {:?} is a {}, not a {}",
                id.get_ref(),
                kind.as_str(),
                kinds.join(" or ")
            );
            self.problem(
                ProblemKind::UnknownReference,
                id.span(),
                field,
                id.get_ref(),
                reason,
            );
            return None;
        }
        Some(ActorId::new(i))
    }

    fn role_ref(
        &mut self,
        roles: &FxHashMap<String, usize>,
        id: &Spanned<String>,
        field: String,
    ) -> Option<RoleId> {
        match roles.get(id.get_ref()) {
            Some(&i) => Some(RoleId::new(i)),
            None => {
                let reason = format!("no [[roles]] entry has id {:?}", id.get_ref());
                self.problem(
                    ProblemKind::UnknownReference,
                    id.span(),
                    field,
                    id.get_ref(),
                    reason,
                );
                None
            }
        }
    }

    fn date(&mut self, value: &Option<Spanned<String>>, field: String) -> Result<Option<Date>, ()> {
        let Some(value) = value else { return Ok(None) };
        match value.get_ref().parse::<Date>() {
            Ok(d) => Ok(Some(d)),
            Err(_) => {
                let reason = "expected an existing date written YYYY-MM-DD".to_string();
                self.problem(
                    ProblemKind::InvalidDate,
                    value.span(),
                    field,
                    value.get_ref(),
                    reason,
                );
                Err(())
            }
        }
    }

    /// Expands `phrase` into entries for `rule`.
    fn phrases(
        &mut self,
        out: &mut Vec<Entry>,
        phrase: &Spanned<Phrase>,
        rule: Rule,
        field: String,
    ) {
        let p = phrase.get_ref();
        let spellings = match expand(p.text()) {
            Ok(s) => s,
            Err(reason) => {
                self.problem(
                    ProblemKind::InvalidPhrase,
                    phrase.span(),
                    field,
                    p.text(),
                    reason,
                );
                return;
            }
        };
        // The case rule is the phrase's, so it is decided once, not once per spelling: the
        // all-capitals test reads the whole phrase, and a grouped phrase is long and has many
        // spellings.
        let exact = p.case_sensitive();
        for spelling in spellings {
            if !spelling.chars().next().is_some_and(char::is_alphanumeric) {
                let reason = "a phrase must start with a letter or a digit".to_string();
                self.problem(
                    ProblemKind::InvalidPhrase,
                    phrase.span(),
                    field.clone(),
                    &spelling,
                    reason,
                );
                continue;
            }
            if let Rule::Adjective(actor) = rule {
                if spelling.ends_with("an") {
                    let plural = format!("{spelling}s");
                    for text in apostrophe_variants(&plural) {
                        out.push(Entry {
                            rule: Rule::Alias(actor),
                            text,
                            exact,
                            span: phrase.span(),
                            field: field.clone(),
                        });
                    }
                }
            }
            for text in apostrophe_variants(&spelling) {
                out.push(Entry {
                    rule,
                    text,
                    exact,
                    span: phrase.span(),
                    field: field.clone(),
                });
            }
        }
    }

    fn compile(&mut self, file: &GazetteerFile) -> Option<Gazetteer> {
        let actor_index = self.index(
            file.actors
                .iter()
                .enumerate()
                .map(|(i, a)| (&a.id, format!("actors[{i}].id"))),
            "actor",
        );
        let role_index = self.index(
            file.roles
                .iter()
                .enumerate()
                .map(|(i, r)| (&r.id, format!("roles[{i}].id"))),
            "role",
        );
        // Proposal ids are indexed only to report repeats.
        self.index(
            file.proposals
                .iter()
                .enumerate()
                .map(|(i, p)| (&p.id, format!("proposals[{i}].id"))),
            "proposal",
        );
        use ActorKind::{Country, Organisation};

        let mut actors = Vec::with_capacity(file.actors.len());
        let mut holdings = Vec::new();
        let mut holding_spans = Vec::new();
        for (i, spec) in file.actors.iter().enumerate() {
            let country = spec.country.as_ref().and_then(|c| {
                self.actor_ref(
                    &actor_index,
                    file,
                    c,
                    format!("actors[{i}].country"),
                    &[Country],
                )
            });
            let member_of = spec
                .member_of
                .iter()
                .enumerate()
                .filter_map(|(j, m)| {
                    self.actor_ref(
                        &actor_index,
                        file,
                        m,
                        format!("actors[{i}].member_of[{j}]"),
                        &[Country, Organisation],
                    )
                })
                .collect();
            for (j, held) in spec.roles.iter().enumerate() {
                let field = format!("actors[{i}].roles[{j}]");
                let h = held.get_ref();
                let role = self.role_ref(&role_index, &h.role, format!("{field}.role"));
                let of = self.actor_ref(
                    &actor_index,
                    file,
                    &h.of,
                    format!("{field}.of"),
                    &[Country, Organisation],
                );
                let from = self.date(&h.from, format!("{field}.from"));
                let to = self.date(&h.to, format!("{field}.to"));
                let (Some(role), Some(of), Ok(from), Ok(to)) = (role, of, from, to) else {
                    continue;
                };
                if let (Some(f), Some(t)) = (from, to) {
                    if f >= t {
                        let span = h.to.as_ref().map_or(held.span(), |t| t.span());
                        let reason = format!("the role ends ({t}) before it starts ({f})");
                        self.problem(
                            ProblemKind::InvalidDate,
                            span,
                            format!("{field}.to"),
                            &t.to_string(),
                            reason,
                        );
                        continue;
                    }
                }
                holdings.push(Holding {
                    role,
                    of,
                    from,
                    to,
                    holder: ActorId::new(i),
                });
                holding_spans.push((held.span(), field));
            }
            actors.push(Actor {
                id: spec.id.get_ref().clone(),
                name: spec.name.clone(),
                kind: spec.kind,
                country,
                member_of,
            });
        }
        self.overlaps(&holdings, &holding_spans, file);

        let mut seats = Vec::with_capacity(file.seats.len());
        for (i, s) in file.seats.iter().enumerate() {
            let of = self.actor_ref(
                &actor_index,
                file,
                &s.of,
                format!("seats[{i}].of"),
                &[Country, Organisation],
            );
            let role = match &s.role {
                Some(r) => self
                    .role_ref(&role_index, r, format!("seats[{i}].role"))
                    .map(Some),
                None => Some(None),
            };
            // A seat with a bad reference still gets a slot so that seat numbers stay aligned.
            seats.push(Seat {
                of: of.unwrap_or(ActorId::new(0)),
                role: role.flatten(),
            });
        }

        let mut entries = Vec::new();
        for (i, spec) in file.actors.iter().enumerate() {
            let a = ActorId::new(i);
            for (j, p) in spec.aliases.iter().enumerate() {
                self.phrases(
                    &mut entries,
                    p,
                    Rule::Alias(a),
                    format!("actors[{i}].aliases[{j}]"),
                );
            }
            for (j, p) in spec.adjectives.iter().enumerate() {
                self.phrases(
                    &mut entries,
                    p,
                    Rule::Adjective(a),
                    format!("actors[{i}].adjectives[{j}]"),
                );
            }
            for (j, p) in spec.metonyms.iter().enumerate() {
                self.phrases(
                    &mut entries,
                    p,
                    Rule::Metonym(a),
                    format!("actors[{i}].metonyms[{j}]"),
                );
            }
        }
        for (i, r) in file.roles.iter().enumerate() {
            for (j, p) in r.nouns.iter().enumerate() {
                self.phrases(
                    &mut entries,
                    p,
                    Rule::RoleNoun(RoleId::new(i)),
                    format!("roles[{i}].nouns[{j}]"),
                );
            }
        }
        for (i, s) in file.seats.iter().enumerate() {
            for (j, p) in s.names.iter().enumerate() {
                self.phrases(
                    &mut entries,
                    p,
                    Rule::Seat(i as u32),
                    format!("seats[{i}].names[{j}]"),
                );
            }
        }
        for (i, spec) in file.proposals.iter().enumerate() {
            let p = ProposalId::new(i);
            for (j, t) in spec.terms.iter().enumerate() {
                self.phrases(
                    &mut entries,
                    t,
                    Rule::Term(p),
                    format!("proposals[{i}].terms[{j}]"),
                );
            }
            for (j, t) in spec.exclude.iter().enumerate() {
                self.phrases(
                    &mut entries,
                    t,
                    Rule::Exclude(p),
                    format!("proposals[{i}].exclude[{j}]"),
                );
            }
        }
        for (i, p) in file.discard.iter().enumerate() {
            self.phrases(&mut entries, p, Rule::Discard, format!("discard[{i}]"));
        }
        let patterns = self.merge(entries, &actors, file);

        let proposals: Vec<Proposal> = file
            .proposals
            .iter()
            .map(|p| Proposal {
                id: p.id.get_ref().clone(),
                name: p.name.clone(),
            })
            .collect();
        let fuzzy = FuzzyIndex::new(&patterns, &actors);
        let first_words = FirstWords::new(patterns.iter().map(|p| &*p.text));
        let trie = match Trie::new(patterns.iter().map(|p| p.text.as_bytes())) {
            Ok(t) => t,
            Err(reason) => {
                self.problems.push(Problem::at(
                    ProblemKind::Syntax,
                    self.source,
                    None,
                    "",
                    "",
                    format!("cannot build the trie of spellings: {reason}"),
                ));
                return None;
            }
        };
        let locative_before =
            self.word_list(&file.metonymy.locative_before, "metonymy.locative_before");
        let locative_after =
            self.word_list(&file.metonymy.locative_after, "metonymy.locative_after");
        let not_locative_before = self.word_list(
            &file.metonymy.not_locative_before,
            "metonymy.not_locative_before",
        );
        Some(Gazetteer {
            actors,
            proposals,
            roles: file.roles.iter().map(|r| r.id.get_ref().clone()).collect(),
            located_roles: file.roles.iter().map(|r| r.located).collect(),
            holdings,
            seats,
            patterns,
            trie,
            locative_before,
            locative_after,
            not_locative_before,
            fuzzy,
            first_words,
        })
    }

    /// The expanded, normalized spellings of a word list.
    fn word_list(&mut self, words: &[Spanned<String>], name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            match expand(w.get_ref()) {
                Ok(spellings) => out.extend(spellings.iter().map(|s| normalize(s))),
                Err(reason) => self.problem(
                    ProblemKind::InvalidPhrase,
                    w.span(),
                    format!("{name}[{i}]"),
                    w.get_ref(),
                    reason,
                ),
            }
        }
        out
    }

    /// Reports two different holders of one role of one country on a common day.
    fn overlaps(
        &mut self,
        holdings: &[Holding],
        spans: &[(Range<usize>, String)],
        file: &GazetteerFile,
    ) {
        for (i, a) in holdings.iter().enumerate() {
            for (j, b) in holdings.iter().enumerate().skip(i + 1) {
                if a.role != b.role || a.of != b.of || a.holder == b.holder {
                    continue;
                }
                let a_before_b = matches!((a.to, b.from), (Some(t), Some(f)) if t <= f);
                let b_before_a = matches!((b.to, a.from), (Some(t), Some(f)) if t <= f);
                if !a_before_b && !b_before_a {
                    let name = |h: &Holding| file.actors[h.holder.index()].id.get_ref().clone();
                    let reason = format!(
                        "{} and {} both hold role {:?} of {:?} on a common day ({} and {})",
                        name(a),
                        name(b),
                        file.roles[a.role.index()].id.get_ref(),
                        file.actors[a.of.index()].id.get_ref(),
                        period(a),
                        period(b),
                    );
                    let (span, field) = spans[j].clone();
                    let value = file.roles[b.role.index()].id.get_ref().clone();
                    self.problem(ProblemKind::OverlappingRoles, span, field, &value, reason);
                }
            }
        }
    }

    /// One pattern per normalized spelling; a spelling given to two owners is a problem.
    fn merge(
        &mut self,
        entries: Vec<Entry>,
        actors: &[Actor],
        file: &GazetteerFile,
    ) -> Vec<Pattern> {
        let mut by_norm: FxHashMap<(String, bool), usize> = FxHashMap::default();
        let mut owners: FxHashMap<String, (Owner, String)> = FxHashMap::default();
        let mut patterns: Vec<Pattern> = Vec::new();
        for e in entries {
            let norm = normalize(&e.text);
            let owner = e.rule.owner();
            match owners.get(&norm) {
                Some((first, first_field)) if *first != owner => {
                    let reason = format!(
                        "also given to {} at {first_field}",
                        describe(*first, actors, file)
                    );
                    self.problem(
                        ProblemKind::DuplicateAlias,
                        e.span,
                        e.field,
                        &e.text,
                        reason,
                    );
                    continue;
                }
                Some(_) => {}
                None => {
                    owners.insert(norm.clone(), (owner, e.field.clone()));
                }
            }
            // Case-sensitive spellings stay distinct ("US" and "U.S." are two patterns anyway);
            // case-insensitive ones collapse to one, but not the two apostrophes: each spelling
            // ("Ukraine's", "Ukraine’s") must stay a pattern of its own to be found.
            let key = if e.exact {
                (e.text.clone(), true)
            } else {
                (e.text.to_ascii_lowercase(), false)
            };
            match by_norm.get(&key) {
                Some(&k) => {
                    if e.rule.strength() > patterns[k].rule.strength() {
                        patterns[k].rule = e.rule;
                    }
                }
                None => {
                    by_norm.insert(key, patterns.len());
                    let word_end = e
                        .text
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                    patterns.push(Pattern {
                        rule: e.rule,
                        text: e.text.into(),
                        exact: e.exact,
                        word_end,
                        plural: false,
                    });
                }
            }
        }
        mark_plural_role_nouns(&mut patterns);
        patterns
    }
}

/// Marks each role noun that is another noun of its role plus "s" ("leaders", "ministers").
fn mark_plural_role_nouns(patterns: &mut [Pattern]) {
    let singular: FxHashSet<(RoleId, String)> = patterns
        .iter()
        .filter_map(|p| match p.rule {
            Rule::RoleNoun(r) => Some((r, p.text.to_ascii_lowercase())),
            _ => None,
        })
        .collect();
    for p in patterns.iter_mut() {
        if let Rule::RoleNoun(r) = p.rule {
            let lower = p.text.to_ascii_lowercase();
            p.plural = lower
                .strip_suffix('s')
                .is_some_and(|stem| singular.contains(&(r, stem.to_string())));
        }
    }
}

fn period(h: &Holding) -> String {
    let show = |d: Option<Date>| d.map_or_else(|| "open".to_string(), |d| d.to_string());
    format!("{} to {}", show(h.from), show(h.to))
}

fn describe(owner: Owner, actors: &[Actor], file: &GazetteerFile) -> String {
    match owner {
        Owner::Actor(a) => format!("actor {:?}", actors[a.index()].id),
        Owner::Role(r) => format!("role {:?}", file.roles[r.index()].id.get_ref()),
        Owner::Seat(s) => format!("seat {:?}", file.seats[s as usize].of.get_ref()),
        Owner::Proposal(p) => format!("proposal {:?}", file.proposals[p.index()].id.get_ref()),
        Owner::Discard => "the discard list".to_string(),
    }
}
