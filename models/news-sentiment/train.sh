#!/usr/bin/env bash
# Rebuilds models/news-sentiment/model.stance from committed files and the public NewsMTSC
# files in ../shared/datasets (relative to the repository root), then scores it on the
# held-out sets of MODEL_CARD.md. Run from anywhere:
#
#   cargo build --release -p stance-cli
#   models/news-sentiment/train.sh            # STANCE=path/to/stance to use another binary
#
# The same binary, data and config give a byte-identical model: training reads the data by
# the same relative paths every time (they are recorded in the model's provenance).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
stance=$(realpath "${STANCE:-target/release/stance}")
newsmtsc=$root/../shared/datasets/newsmtsc
model=$root/models/news-sentiment/model.stance
config=$root/models/news-sentiment/config.toml

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# NewsMTSC as sentences: a sentence is kept when all its targets have the same polarity.
"$stance" import newsmtsc-sentences "$newsmtsc/train.jsonl" \
    --sentence-rule unanimous -o "$tmp/newsmtsc-train.jsonl"
"$stance" import newsmtsc-sentences "$newsmtsc/newsmtsc-rw/dev.jsonl" \
    --sentence-rule unanimous -o "$tmp/newsmtsc-dev-rw.jsonl"
"$stance" import newsmtsc-sentences "$newsmtsc/newsmtsc-mt/dev.jsonl" \
    --sentence-rule unanimous -o "$tmp/newsmtsc-dev-mt.jsonl"

# Train from inside the temporary folder, so the recorded data paths do not depend on it.
ln -s "$root/corpora" "$tmp/corpora"
(
    cd "$tmp"
    "$stance" train --task document --config "$config" \
        --data newsmtsc-train.jsonl \
        --data corpora/peace-talks/written \
        -o "$model"
)

# Held-out scores (never trained on): NewsMTSC's dev sentences and the peace-talks seed
# sentences.
"$stance" eval --model "$model" --data "$tmp/newsmtsc-dev-rw.jsonl" --data "$tmp/newsmtsc-dev-mt.jsonl"
"$stance" eval --model "$model" --data corpora/peace-talks/seed/annotations.jsonl
