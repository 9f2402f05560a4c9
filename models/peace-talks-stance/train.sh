#!/bin/sh
# Rebuilds models/peace-talks-stance/model.stance from the committed recipe and corpus, then
# scores it on the held-out seed annotations. Run from the repository root.
set -eu
stance=${STANCE:-target/release/stance}
dir=models/peace-talks-stance
"$stance" train --task mention \
    --data corpora/peace-talks/written \
    --config "$dir/config.toml" \
    --gazetteer corpora/peace-talks/gazetteer.toml \
    --cv-folds 5 \
    -o "$dir/model.stance"
"$stance" eval --model "$dir/model.stance" \
    --data corpora/peace-talks/seed/annotations.jsonl \
    --metrics-out "$dir/seed-metrics.json"
