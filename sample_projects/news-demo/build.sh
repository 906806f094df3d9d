#!/usr/bin/env bash
# Rebuilds news-demo.annproj from its sources: the seed article with its gold annotations
# (native JSONL) and the other articles (plain text with .meta.json sidecars).
# Usage: bash sample_projects/news-demo/build.sh [OUTPUT]   (default: beside this script)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/news-demo.annproj}"
python="${PYTHON:-python}"
rm -f "$out" "$out-wal" "$out-shm" "$out.lock"
ANNOTATOR_USER=gold "$python" -m annotator new "$out" --schema ace2005-news --lang en
ANNOTATOR_USER=gold "$python" -m annotator import "$out" \
    "$here/seed-annotations.jsonl" "$here/articles"
rm -f "$out.lock"
