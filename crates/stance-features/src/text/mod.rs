//! News text before analysis: [`clean`] a scraped article down to its own lines, then split it
//! into [`sentences`].
//!
//! Both stages return byte spans and never copy or rewrite the article's characters, because
//! everything downstream (mentions, evidence sentences, annotations) must point back into the
//! text a person can read. The cleaner works on whole lines, so its output is a handful of
//! slices of the original with a [`Piece`] map between the two; the sentence splitter is a
//! single pass over bytes that returns spans into whatever text it is given, cleaned or raw.
//! Corpus files count code points, not bytes: [`char_spans`] converts. Both stages are plain
//! rules rather than models, so that what they did can be read and audited: the cleaner lists
//! each dropped line with its [`DropReason`]. The rules: [`Cleaner`] and [`SentenceSplitter`].
//!
//! ```
//! use stance_features::text::{clean, sentences};
//!
//! let page = "UK urges Russia to compromise\n\
//!             LONDON, March 12\n\
//!             Gen. Kellogg met Mr. Zelensky in the U.S. capital. \"No.\" Then he left.\n\
//!             You may also like\n";
//! let cleaned = clean(page);
//! let spans = sentences(&cleaned.text);
//! let found: Vec<&str> = spans.iter().map(|s| &cleaned.text[s.clone()]).collect();
//! assert_eq!(
//!     found,
//!     [
//!         "UK urges Russia to compromise",
//!         "LONDON, March 12",
//!         "Gen. Kellogg met Mr. Zelensky in the U.S. capital.",
//!         "\"No.\"",
//!         "Then he left.",
//!     ]
//! );
//! // Every sentence of the cleaned text is also a span of the page.
//! let last = cleaned.original_span(spans[4].clone()).unwrap();
//! assert_eq!(&page[last], "Then he left.");
//! ```

mod abbreviations;
mod clean;
mod matchers;
mod offsets;
mod rules;
mod sentences;

pub use clean::{
    CleanParams, Cleaned, Cleaner, DropReason, DropRule, DroppedLine, LineMatch, MatchKind, Piece,
    clean,
};
pub use offsets::char_spans;
pub use sentences::{LineBreaks, SentenceParams, SentenceSplitter, sentences};
