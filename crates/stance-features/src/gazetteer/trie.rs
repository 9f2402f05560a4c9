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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    ///
    /// Built in one pass over the sorted spellings, without recursion: each spelling adds the
    /// nodes of its bytes past the prefix it shares with the previous one, which numbers nodes
    /// in depth-first order; a node is finished (its edges laid out) once a spelling leaves it,
    /// after all its children. A recursion over groups of spellings with one more byte in
    /// common built the same arrays, reading each spelling again at every depth (about 16 M
    /// instructions for the 7,400 spellings of the peace-talks gazetteer, against about 4 M).
    pub(super) fn new<'a>(spellings: impl Iterator<Item = &'a [u8]>) -> Result<Trie, String> {
        // Every spelling folded, one after the other in one buffer.
        let mut folded = Vec::new();
        let mut ends = Vec::new();
        for s in spellings {
            if s.is_empty() {
                return Err(format!("spelling {} is empty", ends.len()));
            }
            folded.extend(s.iter().map(|&b| FOLD[b as usize]));
            ends.push(folded.len());
        }
        if ends.len() >= DEAD as usize {
            return Err(format!("{} spellings are too many", ends.len()));
        }
        // Sorted by spelling, then by number: equal spellings stay in increasing order. The
        // first eight bytes, big-endian and padded with zeros, order two spellings whenever they
        // differ (a padding byte is below any byte but a zero, and ends the shorter spelling),
        // which spares most comparisons of slices.
        let mut start = 0;
        let mut sorted: Vec<(u64, &[u8], u32)> = ends
            .iter()
            .enumerate()
            .map(|(i, &end)| {
                let s = &folded[std::mem::replace(&mut start, end)..end];
                let mut head = [0u8; 8];
                let n = s.len().min(8);
                head[..n].copy_from_slice(&s[..n]);
                (u64::from_be_bytes(head), s, i as u32)
            })
            .collect();
        sorted.sort_unstable();
        let mut trie = Trie {
            nodes: vec![Node::default()],
            labels: Vec::new(),
            targets: Vec::new(),
            rows: Vec::new(),
            matches: Vec::new(),
        };
        // The nodes of the previous spelling's bytes, from the root: each with where its edges
        // start in `edges`, the edges of all open nodes, each node's above its parent's.
        let mut path: Vec<(u32, usize)> = vec![(0, 0)];
        let mut edges: Vec<(u8, u32)> = Vec::new();
        let mut previous: &[u8] = &[];
        for &(_, s, i) in &sorted {
            let common = s.iter().zip(previous).take_while(|(a, b)| a == b).count();
            // The path holds one node more than the previous spelling has bytes.
            while path.len() > common + 1 {
                let (id, base) = path.pop().expect("a node below the root");
                trie.finish(id, &mut edges, base);
            }
            for &byte in &s[common..] {
                let id = trie.nodes.len();
                if id >= DEAD as usize {
                    return Err("the trie has too many nodes".to_string());
                }
                trie.nodes.push(Node {
                    matches: trie.matches.len() as u32,
                    ..Node::default()
                });
                edges.push((byte, id as u32));
                path.push((id as u32, edges.len()));
            }
            // Equal spellings follow each other, so a node's matches are one run.
            let (id, _) = *path.last().expect("the root");
            let node = &mut trie.nodes[id as usize];
            node.n_matches = node
                .n_matches
                .checked_add(1)
                .ok_or("too many equal spellings")?;
            trie.matches.push(i);
            previous = s;
        }
        while let Some((id, base)) = path.pop() {
            trie.finish(id, &mut edges, base);
        }
        Ok(trie)
    }

    /// Lays out the edges of node `id`, `edges[base..]` (in increasing order of label), and
    /// removes them from `edges`.
    #[inline]
    fn finish(&mut self, id: u32, edges: &mut Vec<(u8, u32)>, base: usize) {
        let children = &edges[base..];
        let node = &mut self.nodes[id as usize];
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

    /// The trie as the recursive builder made it: the node of each group of sorted spellings
    /// sharing `depth` bytes added before the nodes below it, its edges laid out after them.
    fn reference(spellings: &[&[u8]]) -> Trie {
        fn add(
            trie: &mut Trie,
            group: &[(&[u8], u32)],
            depth: usize,
            edges: &mut Vec<(u8, u32)>,
        ) -> u32 {
            let id = trie.nodes.len();
            trie.nodes.push(Node::default());
            let ending = group.iter().take_while(|(s, _)| s.len() == depth).count();
            let matches = trie.matches.len() as u32;
            trie.matches.extend(group[..ending].iter().map(|&(_, i)| i));
            let base = edges.len();
            let mut rest = &group[ending..];
            while let Some(&(s, _)) = rest.first() {
                let byte = s[depth];
                let n = rest.iter().take_while(|(t, _)| t[depth] == byte).count();
                let child = add(trie, &rest[..n], depth + 1, edges);
                edges.push((byte, child));
                rest = &rest[n..];
            }
            trie.nodes[id] = Node {
                matches,
                n_matches: ending as u16,
                ..Node::default()
            };
            trie.finish(id as u32, edges, base);
            id as u32
        }
        let folded: Vec<Vec<u8>> = spellings
            .iter()
            .map(|s| s.iter().map(|&b| FOLD[b as usize]).collect())
            .collect();
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
        add(&mut trie, &sorted, 0, &mut Vec::new());
        trie
    }

    #[test]
    fn the_one_pass_build_lays_out_what_the_recursive_build_did() {
        let shipped = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../corpora/peace-talks/gazetteer.toml"
        ))
        .expect("the shipped gazetteer");
        // Every quoted string of the file: thousands of spellings, many sharing prefixes.
        let quoted: Vec<&str> = shipped.split('"').skip(1).step_by(2).collect();
        let mut sets: Vec<Vec<Vec<u8>>> = vec![
            quoted
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_bytes().to_vec())
                .collect(),
            vec![b"a".to_vec()],
            vec![
                b"ab".to_vec(),
                b"AB".to_vec(),
                b"a".to_vec(),
                b"ab".to_vec(),
                b"abc".to_vec(),
            ],
        ];
        // Random spellings over a small alphabet, with case and duplicates: deep shared
        // prefixes, nodes of every width, spellings ending inside others.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..200 {
            let alphabet: &[u8] = if round % 3 == 0 {
                b"abAB"
            } else {
                b"abcdefghijklmnoABC .\xc3\xa9"
            };
            let n = 1 + round % 60;
            let set = (0..n)
                .map(|_| {
                    crate::testing::xorshift(&mut x);
                    let len = 1 + (x % 7) as usize;
                    (0..len)
                        .map(|k| alphabet[((x >> (8 * k + 3)) % alphabet.len() as u64) as usize])
                        .collect()
                })
                .collect();
            sets.push(set);
        }
        // A root with a full row.
        sets.push(
            (0u8..=255)
                .filter(|&b| b != 0)
                .map(|b| vec![b, b'x'])
                .collect(),
        );
        for set in sets {
            let refs: Vec<&[u8]> = set.iter().map(Vec::as_slice).collect();
            let built = Trie::new(refs.iter().copied()).expect("no empty spelling");
            assert_eq!(
                built,
                reference(&refs),
                "{:?}",
                set.iter()
                    .map(|s| String::from_utf8_lossy(s))
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn refuses_an_empty_spelling() {
        assert!(Trie::new(["a", ""].iter().map(|s| s.as_bytes())).is_err());
        assert!(Trie::new(std::iter::empty()).is_ok());
    }
}
