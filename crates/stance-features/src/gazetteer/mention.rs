//! What matching finds: mentions of actors and proposals, with their spans in the text.

use std::ops::Range;

/// An actor of a [`Gazetteer`](super::Gazetteer), by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorId(u32);

/// A proposal of a [`Gazetteer`](super::Gazetteer), by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProposalId(u32);

/// A role of a [`Gazetteer`](super::Gazetteer), by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoleId(u32);

macro_rules! index_type {
    ($t:ident) => {
        impl $t {
            pub(crate) fn new(i: usize) -> $t {
                $t(u32::try_from(i).expect("fewer than 2^32 entries"))
            }

            /// The position in the gazetteer's list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
index_type!(ActorId);
index_type!(ProposalId);
index_type!(RoleId);

/// What a mention refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// An actor.
    Actor(ActorId),
    /// A proposal.
    Proposal(ProposalId),
}

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum How {
    /// A spelling of an actor's name ("Zelenskyy", "Russia's", "Ukrainians").
    Alias,
    /// A capital standing for its government ("Moscow rejected ...").
    Metonym,
    /// A capital or seat of government named as a place ("talks in London", "the Paris
    /// summit", "a visit to the White House"): still a mention of the country, whose stance
    /// is then usually neutral.
    Place,
    /// A role noun after a country word ("the Russian foreign minister", "Britain's defence
    /// secretary", "president of France").
    Role,
    /// A seat of government ("the Kremlin", "Downing Street").
    Seat,
    /// A person's name garbled by machine translation ("Keira Starmer").
    Fuzzy,
    /// A term of a proposal ("truce").
    Term,
}

impl How {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            How::Alias => "alias",
            How::Metonym => "metonym",
            How::Place => "place",
            How::Role => "role",
            How::Seat => "seat",
            How::Fuzzy => "fuzzy",
            How::Term => "term",
        }
    }
}

/// The role behind a role or seat mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleMatch {
    /// The role named.
    pub role: RoleId,
    /// Whose role: the country or organisation.
    pub of: ActorId,
    /// Who held it on the article's date (or, without a date, the only holder listed).
    pub holder: Option<ActorId>,
}

/// A mention of an actor or a proposal in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<'t> {
    /// The actor or proposal. A role mention refers to the holder when known, else to the
    /// country; a seat to its country (or, for a seat of one office, as a role does).
    pub target: Target,
    /// Byte span in the text; a possessive "'s" is inside it.
    pub span: Range<usize>,
    /// The text of the span.
    pub text: &'t str,
    /// How it was found.
    pub how: How,
    /// For role mentions and seats of one office: the role, its country and its holder.
    pub role: Option<RoleMatch>,
}

impl Mention<'_> {
    /// The actor, when the mention is of one.
    pub fn actor(&self) -> Option<ActorId> {
        match self.target {
            Target::Actor(a) => Some(a),
            Target::Proposal(_) => None,
        }
    }

    /// The proposal, when the mention is of one.
    pub fn proposal(&self) -> Option<ProposalId> {
        match self.target {
            Target::Proposal(p) => Some(p),
            Target::Actor(_) => None,
        }
    }
}
