#![allow(missing_docs)] // the criterion_group macro generates an undocumented function

//! Criterion bench of gazetteer matching: the shipped peace-talks gazetteer grown to 100,000
//! generated aliases (deterministic pseudo-names built from English-like syllables, so that the
//! trie walks as deep into ordinary words as a big real gazetteer would), over FNC-1's
//! article bodies (or the sample articles). Reports bytes of text per second on one core and
//! checks the number of mentions on every run, so a broken matcher cannot look fast.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stance_benches::corpus;
use stance_features::gazetteer::{Date, Gazetteer, Mention};
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

/// The allocator of the `stance` binary, so that the figures compare.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generated aliases on top of the shipped gazetteer.
const GENERATED_ALIASES: usize = 100_000;

const SYLLABLES: [&str; 48] = [
    "an", "ber", "con", "dal", "en", "for", "gar", "hal", "in", "jor", "kal", "lin", "mar", "nor",
    "or", "per", "quin", "ros", "sta", "ter", "un", "val", "wen", "yor", "ste", "pre", "com",
    "tra", "mon", "the", "res", "pro", "ban", "cor", "del", "est", "ful", "gen", "har", "ist",
    "lan", "man", "ner", "ort", "pol", "ric", "sel", "tan",
];

/// A deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }

    fn word(&mut self) -> String {
        let n = 2 + self.next() % 2;
        let mut w = String::new();
        for _ in 0..n {
            w.push_str(SYLLABLES[self.next() % SYLLABLES.len()]);
        }
        let mut chars = w.chars();
        let first = chars.next().expect("a syllable").to_ascii_uppercase();
        std::iter::once(first).chain(chars).collect()
    }
}

/// The peace-talks gazetteer.
const SHIPPED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../corpora/peace-talks/gazetteer.toml"
);

/// The shipped gazetteer plus generated people, each with a two-word name and its surname,
/// until [`GENERATED_ALIASES`] distinct aliases were added.
fn big_gazetteer(shipped: &Gazetteer) -> Gazetteer {
    let mut toml = std::fs::read_to_string(SHIPPED).expect("the shipped gazetteer");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut seen = std::collections::HashSet::new();
    let mut added = 0;
    let mut person = 0;
    while added < GENERATED_ALIASES {
        let (first, last) = (rng.word(), rng.word());
        let full = format!("{first} {last}");
        let fresh: Vec<&String> = [&full, &last]
            .into_iter()
            .filter(|a| shipped.find(a, None).is_empty() && seen.insert(a.to_ascii_lowercase()))
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let aliases: Vec<String> = fresh.iter().map(|a| format!("{a:?}")).collect();
        added += fresh.len();
        write!(
            toml,
            "\n[[actors]]\nid = \"gen{person}\"\nname = {full:?}\nkind = \"person\"\ncountry = \"uk\"\naliases = [{}]\n",
            aliases.join(", ")
        )
        .expect("writing to a string");
        person += 1;
    }
    let big = Gazetteer::from_toml(&toml, "generated").expect("the generated gazetteer compiles");
    assert!(big.pattern_count() >= shipped.pattern_count() + GENERATED_ALIASES);
    big
}

/// Mentions found in all of `docs`, through one vector reused from document to document.
fn count(g: &Gazetteer, docs: &[String], date: Option<Date>) -> usize {
    let mut mentions: Vec<Mention<'_>> = Vec::new();
    let mut n = 0;
    for d in docs {
        g.find_into(d, date, &mut mentions);
        n += mentions.len();
    }
    n
}

/// CPU time this thread has used, in seconds, where Linux tells it (`/proc/thread-self/stat`,
/// in clock ticks of 1/100 s).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Throughput per second of CPU time over `runs` passes, next to criterion's wall-clock
/// figure: on a shared machine the thread is often descheduled, and the CPU-time rate is the
/// one a dedicated core gives.
fn report_cpu_rate(
    g: &Gazetteer,
    docs: &[String],
    bytes: u64,
    date: Option<Date>,
    expected: usize,
) {
    let runs = 40;
    let (Some(start), wall) = (thread_cpu_seconds(), std::time::Instant::now()) else {
        return;
    };
    for _ in 0..runs {
        assert_eq!(count(g, docs, date), expected);
    }
    let wall = wall.elapsed().as_secs_f64();
    let Some(cpu) = thread_cpu_seconds().map(|end| end - start) else {
        return;
    };
    let mb = (runs * bytes) as f64 / 1e6;
    eprintln!(
        "gazetteer: {runs} passes: {:.0} MB/s of CPU time ({cpu:.2} s), {:.0} MB/s wall ({wall:.2} s)",
        mb / cpu,
        mb / wall
    );
}

fn benches(c: &mut Criterion) {
    let corpus = corpus();
    let docs = &corpus.docs;
    let source = std::fs::read_to_string(SHIPPED).expect("the shipped gazetteer");
    let shipped = Gazetteer::from_toml(&source, SHIPPED).expect("the shipped gazetteer compiles");
    let g = big_gazetteer(&shipped);
    let date = Some("2025-04-23".parse().expect("a date"));
    let expected = count(&g, docs, date);
    assert!(expected > docs.len(), "the corpus has mentions: {expected}");
    eprintln!(
        "gazetteer: {} spellings; {} mentions in {} documents ({}, {} bytes)",
        g.pattern_count(),
        expected,
        docs.len(),
        corpus.name,
        corpus.bytes()
    );

    report_cpu_rate(&g, docs, corpus.bytes(), date, expected);

    let mut group = c.benchmark_group("gazetteer");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Bytes(corpus.bytes()));
    group.bench_function("find_100k_aliases", |b| {
        b.iter(|| {
            let n = count(&g, black_box(docs), date);
            assert_eq!(n, expected);
            n
        })
    });
    let shipped_expected = count(&shipped, docs, date);
    assert!(shipped_expected > docs.len());
    group.bench_function("find_shipped", |b| {
        b.iter(|| {
            let n = count(&shipped, black_box(docs), date);
            assert_eq!(n, shipped_expected);
            n
        })
    });
    group.finish();
}

criterion_group!(gazetteer, benches);
criterion_main!(gazetteer);
