//! The gazetteer's spellings as a byte trie, walked from a word start (an anchored search).
//!
//! The matcher only ever asks "which spellings start exactly here?", so it needs no failure
//! links and no unanchored start: a trie answers it, and it builds in one pass over the sorted
//! spellings and takes a few bytes per node, where a full automaton over the same spellings
//! (failure links, or a DFA's row per state and byte class) costs far more to build and to
//! keep in cache.
//!
//! ASCII letters match either case (both the spellings and the text are folded to lower case
//! byte by byte); other bytes match themselves. The layout is chosen for the walk:
//!
//! - nodes are numbered in depth-first order, so the chain of one-child nodes that most of a
//!   spelling is lies in consecutive nodes, and a one-child node keeps its edge inline;
//! - a node with a few children keeps their labels in one short run, searched linearly;
//! - a node with many children (the root, and the first letters) gets a full row of 256
//!   targets.

/// No node: the walk is over.
const DEAD: u32 = u32::MAX;

/// A node with more children than this gets a full row.
const SPARSE_MAX: usize = 10;

/// `Node::edges` value of a node with a full row.
const DENSE: u16 = u16::MAX;

/// ASCII upper case to lower case; every other byte unchanged.
static FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).to_ascii_lowercase();
        i += 1;
    }
    t
};

/// One node of the trie.
#[derive(Clone, Copy, Debug, Default)]
struct Node {
    /// With one edge: its target. With a few: the start of their run in `labels` and
    /// `targets`. With a full row: the row's index.
    first: u32,
    /// How many edges, or [`DENSE`].
    edges: u16,
    /// The label of the one edge.
    label: u8,
    /// The spellings ending here: their run in `matches`.
    matches: u32,
    n_matches: u16,
}

/// A byte trie over spellings (see the module documentation).
#[derive(Clone, Debug)]
pub(super) struct Trie {
    nodes: Vec<Node>,
    labels: Vec<u8>,
    targets: Vec<u32>,
    rows: Vec<u32>,
    matches: Vec<u32>,
}

impl Trie {
    /// The trie of `spellings`; spelling `i` is reported as `i`. Spellings equal up to ASCII
    /// case end at the same node, listed in increasing order. Refuses an empty spelling and a
    /// trie too big for its 32-bit indexes.
    pub(super) fn new<'a>(spellings: impl Iterator<Item = &'a [u8]>) -> Result<Trie, String> {
        let folded: Vec<Vec<u8>> = spellings
            .map(|s| s.iter().map(|&b| FOLD[b as usize]).collect())
            .collect();
        if let Some(i) = folded.iter().position(Vec::is_empty) {
            return Err(format!("spelling {i} is empty"));
        }
        if folded.len() >= DEAD as usize {
            return Err(format!("{} spellings are too many", folded.len()));
        }
        // A stable sort: equal spellings stay in increasing order.
        let mut order: Vec<u32> = (0..folded.len() as u32).collect();
        order.sort_by(|&a, &b| folded[a as usize].cmp(&folded[b as usize]));
        let sorted: Vec<(&[u8], u32)> = order
            .iter()
            .map(|&i| (folded[i as usize].as_slice(), i))
            .collect();
        let mut trie = Trie {
            nodes: Vec::new(),
            labels: Vec::new(),
            targets: Vec::new(),
            rows: Vec::new(),
            matches: Vec::new(),
        };
        trie.add(&sorted, 0, &mut Vec::new())?;
        Ok(trie)
    }

    /// Adds the node reached by the first `depth` bytes shared by every spelling of `group`
    /// (sorted), and the nodes below it; returns its number. `edges` is scratch space shared by
    /// the whole recursion: each node's edges sit above its parent's until it is done.
    fn add(
        &mut self,
        group: &[(&[u8], u32)],
        depth: usize,
        edges: &mut Vec<(u8, u32)>,
    ) -> Result<u32, String> {
        let id = self.nodes.len();
        if id >= DEAD as usize {
            return Err("the trie has too many nodes".to_string());
        }
        self.nodes.push(Node::default());
        // The spellings that end here sort first.
        let ending = group.iter().take_while(|(s, _)| s.len() == depth).count();
        let matches = self.matches.len() as u32;
        self.matches.extend(group[..ending].iter().map(|&(_, i)| i));
        let base = edges.len();
        let mut rest = &group[ending..];
        while let Some(&(s, _)) = rest.first() {
            let byte = s[depth];
            let n = rest.iter().take_while(|(t, _)| t[depth] == byte).count();
            let child = self.add(&rest[..n], depth + 1, edges)?;
            edges.push((byte, child));
            rest = &rest[n..];
        }
        let children = &edges[base..];
        let mut node = Node {
            matches,
            n_matches: u16::try_from(ending).map_err(|_| "too many equal spellings")?,
            ..Node::default()
        };
        match *children {
            [] => {}
            [(label, target)] => {
                node.first = target;
                node.edges = 1;
                node.label = label;
            }
            _ if children.len() <= SPARSE_MAX => {
                node.first = self.labels.len() as u32;
                node.edges = children.len() as u16;
                for &(label, target) in children {
                    self.labels.push(label);
                    self.targets.push(target);
                }
            }
            _ => {
                node.first = (self.rows.len() / 256) as u32;
                node.edges = DENSE;
                let row = self.rows.len();
                self.rows.resize(row + 256, DEAD);
                for &(label, target) in children {
                    self.rows[row + label as usize] = target;
                }
            }
        }
        edges.truncate(base);
        self.nodes[id] = node;
        Ok(id as u32)
    }

    /// Walks `text` from the root as far as the trie goes, calling `f(len, spellings)` at every
    /// prefix of `text` that ends spellings (`len` bytes long, the spellings in increasing
    /// order). Each node on the way is read once: its edges and its matches together.
    #[inline]
    pub(super) fn walk(&self, text: &[u8], mut f: impl FnMut(usize, &[u32])) {
        // The root is node 0: `add` numbers nodes in depth-first order.
        let mut n = &self.nodes[0];
        for (j, &byte) in text.iter().enumerate() {
            let next = self.target(n, byte);
            if next == DEAD {
                return;
            }
            n = &self.nodes[next as usize];
            if n.n_matches != 0 {
                let start = n.matches as usize;
                f(j + 1, &self.matches[start..start + n.n_matches as usize]);
            }
        }
    }

    /// The target of node `n`'s edge on `byte`, or [`DEAD`].
    #[inline(always)]
    fn target(&self, n: &Node, byte: u8) -> u32 {
        let b = FOLD[byte as usize];
        match n.edges {
            0 => DEAD,
            1 if n.label == b => n.first,
            1 => DEAD,
            DENSE => self.rows[n.first as usize * 256 + b as usize],
            k => {
                let start = n.first as usize;
                let labels = &self.labels[start..start + k as usize];
                match labels.iter().position(|&l| l == b) {
                    Some(i) => self.targets[start + i],
                    None => DEAD,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every spelling that `text` starts with, as (spelling, length), shortest first.
    fn walk(trie: &Trie, text: &str) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        trie.walk(text.as_bytes(), |len, spellings| {
            out.extend(spellings.iter().map(|&m| (m, len)));
        });
        out
    }

    fn trie(spellings: &[&str]) -> Trie {
        Trie::new(spellings.iter().map(|s| s.as_bytes())).unwrap()
    }

    #[test]
    fn finds_every_spelling_that_starts_the_text() {
        let t = trie(&[
            "Putin",
            "Put",
            "Vladimir Putin",
            "Vladimir",
            "US",
            "us",
            "U.S.",
        ]);
        assert_eq!(walk(&t, "Putin said"), [(1, 3), (0, 5)]);
        assert_eq!(walk(&t, "Vladimir Putin's"), [(3, 8), (2, 14)]);
        // ASCII case folds both ways; equal spellings come in increasing order.
        assert_eq!(walk(&t, "uS and"), [(4, 2), (5, 2)]);
        assert_eq!(walk(&t, "u.s."), [(6, 4)]);
        assert_eq!(walk(&t, "Pu"), []);
        assert_eq!(walk(&t, "xyz"), []);
        assert_eq!(walk(&t, ""), []);
    }

    #[test]
    fn non_ascii_bytes_match_only_themselves() {
        let t = trie(&["Zelenskyy", "Зеленський", "Élysée"]);
        assert_eq!(walk(&t, "Зеленський"), [(1, "Зеленський".len())]);
        assert_eq!(walk(&t, "зеленський"), []);
        assert_eq!(walk(&t, "éLYSÉE"), []);
        // Only the ASCII letters fold.
        assert_eq!(walk(&t, "ÉLYSéE"), [(2, "Élysée".len())]);
        assert_eq!(walk(&t, "Élysée"), [(2, "Élysée".len())]);
    }

    #[test]
    fn wide_nodes_get_a_row_and_agree_with_a_plain_search() {
        // Enough first letters for a full row at the root and at "a", a few children below.
        let mut spellings: Vec<String> = Vec::new();
        for a in b'a'..=b'z' {
            for b in b'a'..=b'p' {
                spellings.push(format!("{}{}", a as char, b as char));
                spellings.push(format!("{}{}x", a as char, b as char));
            }
            spellings.push(format!("{}", a as char));
        }
        spellings.push("ab".into());
        let refs: Vec<&str> = spellings.iter().map(String::as_str).collect();
        let t = trie(&refs);
        assert!(
            t.rows.len() >= 27 * 256,
            "rows for the root and the first letters"
        );
        for text in ["abx", "ABX", "ab", "zp", "zpx", "zq", "a", "q", "~", "abxy"] {
            let mut expected: Vec<(u32, usize)> = spellings
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    text.len() >= s.len()
                        && text.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes())
                })
                .map(|(i, s)| (i as u32, s.len()))
                .collect();
            expected.sort_by_key(|&(i, len)| (len, i));
            assert_eq!(walk(&t, text), expected, "{text}");
        }
    }

    #[test]
    fn refuses_an_empty_spelling() {
        assert!(Trie::new(["a", ""].iter().map(|s| s.as_bytes())).is_err());
        assert!(Trie::new(std::iter::empty()).is_ok());
    }
}
