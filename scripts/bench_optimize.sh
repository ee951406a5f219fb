#!/usr/bin/env bash
# Times `recall optimize --dry-run` on a simulated learner's log of about
# 1,000,000 reviews over 100,000 cards (issue 18: under 30 s on 2 cores,
# peak memory under 1 GB), with GNU time for the wall clock and peak RSS.
#
#   scripts/bench_optimize.sh            # generate (once) and measure
#   REVIEWS=/path/reviews.csv scripts/bench_optimize.sh
#
# The log comes from tests/support/learner.rs through
# `cargo run --release --example generate -- learner 100000 1000 120 FILE`
# (998,995 reviews with seed 1). Nothing outside a temp dir is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --bin recall --example generate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data"
if [ -n "${REVIEWS:-}" ]; then
  cp "$REVIEWS" "$work/data/reviews.csv"
else
  target/release/examples/generate learner 100000 1000 120 "$work/data/reviews.csv"
fi
printf '# bench\ndesired_retention = 0.9\n' > "$work/config.toml"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f 'wall %e s, user %U s, system %S s, peak RSS %M KiB' \
  env RECALL_DATA_DIR="$work/data" RECALL_CONFIG="$work/config.toml" \
  RECALL_CACHE_DIR="$work/cache" target/release/recall optimize --dry-run
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
