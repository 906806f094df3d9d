#!/usr/bin/env bash
# Rebuilds news-demo.annproj from its sources: the seed article with its gold annotations
# (seed-annotations.jsonl) and the ten other articles with theirs (gold-annotations.jsonl,
# whose texts and metadata are those of articles/*.txt and *.meta.json; a test checks it).
# Usage: bash sample_projects/news-demo/build.sh [OUTPUT]   (default: beside this script)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/news-demo.annproj}"
python="${PYTHON:-python}"
rm -f "$out" "$out-wal" "$out-shm" "$out.lock"
ANNOTATOR_USER=gold "$python" -m annotator new "$out" --schema ace2005-news --lang en
ANNOTATOR_USER=gold "$python" -m annotator import "$out" \
    "$here/seed-annotations.jsonl" "$here/gold-annotations.jsonl"
rm -f "$out.lock"
