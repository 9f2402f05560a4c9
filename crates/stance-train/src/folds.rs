//! Cross-validation folds: stratified by label, and group-aware when examples share a source
//! (an FNC-1 body, an Emergent claim, an article), so that no group is split between training
//! and test and nothing leaks.
//!
//! The shuffles use a small seeded generator of our own (SplitMix64), so the folds for a seed
//! never change with a dependency's version.

/// SplitMix64: a tiny, well-mixed, seedable generator.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer below `n` (> 0), by rejection so that it is unbiased.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let v = self.next_u64();
            if v < zone {
                return (v % n) as usize;
            }
        }
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The fold (0..k) of each example.
///
/// Without groups: each label's examples are shuffled and dealt to the folds in turn, so every
/// fold has each label's share (scikit-learn's `StratifiedKFold(shuffle=True)` idea). With groups:
/// groups are shuffled, then placed largest first into the fold that has the fewest examples so
/// far (`GroupKFold`'s rule), keeping each group whole.
pub fn assign_folds(
    labels: &[usize],
    groups: Option<&[String]>,
    k: usize,
    seed: u64,
) -> Vec<usize> {
    assert!(k >= 2, "at least two folds");
    let mut rng = SplitMix64::new(seed);
    let mut fold = vec![0usize; labels.len()];
    match groups {
        None => {
            let n_labels = labels.iter().max().map_or(0, |m| m + 1);
            let mut next = 0;
            for label in 0..n_labels {
                let mut members: Vec<usize> =
                    (0..labels.len()).filter(|&i| labels[i] == label).collect();
                rng.shuffle(&mut members);
                for i in members {
                    fold[i] = next % k;
                    next += 1;
                }
            }
        }
        Some(groups) => {
            assert_eq!(groups.len(), labels.len(), "one group per example");
            let mut by_group: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
            for (i, g) in groups.iter().enumerate() {
                by_group.entry(g.as_str()).or_default().push(i);
            }
            let mut members: Vec<Vec<usize>> = by_group.into_values().collect();
            rng.shuffle(&mut members);
            // Stable sort: equal sizes keep their shuffled order.
            members.sort_by_key(|m| std::cmp::Reverse(m.len()));
            let mut sizes = vec![0usize; k];
            for group in members {
                let smallest = (0..k).min_by_key(|&f| (sizes[f], f)).expect("k ≥ 2");
                sizes[smallest] += group.len();
                for i in group {
                    fold[i] = smallest;
                }
            }
        }
    }
    fold
}

/// The training and test indices of fold `f`.
pub fn split(folds: &[usize], f: usize) -> (Vec<usize>, Vec<usize>) {
    (0..folds.len()).partition(|&i| folds[i] != f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_folds_balance_labels() {
        let labels: Vec<usize> = (0..100).map(|i| if i < 70 { 0 } else { 1 }).collect();
        let folds = assign_folds(&labels, None, 5, 1);
        for f in 0..5 {
            let (_, test) = split(&folds, f);
            assert_eq!(test.len(), 20);
            assert_eq!(
                test.iter().filter(|&&i| labels[i] == 1).count(),
                6,
                "fold {f}"
            );
        }
        assert_eq!(folds, assign_folds(&labels, None, 5, 1));
        assert_ne!(folds, assign_folds(&labels, None, 5, 2));
    }

    #[test]
    fn groups_are_never_split() {
        let groups: Vec<String> = (0..60).map(|i| format!("body-{}", i % 13)).collect();
        let labels = vec![0; 60];
        let folds = assign_folds(&labels, Some(&groups), 4, 9);
        for i in 0..60 {
            for j in 0..60 {
                if groups[i] == groups[j] {
                    assert_eq!(folds[i], folds[j]);
                }
            }
        }
        let mut sizes = [0; 4];
        for f in folds {
            sizes[f] += 1;
        }
        assert!(sizes.iter().all(|&s| (10..=20).contains(&s)), "{sizes:?}");
    }

    #[test]
    fn below_is_in_range() {
        let mut rng = SplitMix64::new(0);
        for n in 1..50 {
            assert!(rng.below(n) < n);
        }
    }
}
