#!/usr/bin/env bash
# Renders an `mlp` HTML report in headless Chromium (Debian package `chromium`), checks that the page draws
# (the rendered DOM holds the expected number of training points), and saves a screenshot.
#
#   Scripts/render_report.sh [REPORT.html] [SCREENSHOT.png] [EXPECTED_POINTS]
#
# Without REPORT.html it trains on the bundled seed data (10 points) and uses that report; should training fail,
# it takes the report the CLI tests write from a scikit-learn-trained seed model.
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:-}
shot=${2:-docs/images/seed-report.png}
expected=${3:-10}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium not found: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
if [ -z "$report" ]; then
  report=/tmp/mlp-seed-report.html
  swift build --product mlp >/dev/null
  bin=$(swift build --show-bin-path)/mlp
  if ! "$bin" train --dataset seed --hidden-layer-sizes 10 --learning-rate-init 0.01 --max-iter 1000 \
        --random-state 1 --output /tmp/mlp-seed.mlp --report "$report" --quiet 2>/tmp/mlp-train.err; then
    echo "mlp train failed ($(cat /tmp/mlp-train.err)); using the CLI test's report instead" >&2
    MLP_REPORT_COPY="$report" swift test --filter reportForTwoFeatureData >/dev/null
  fi
fi
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions)
points=$("$browser" "${flags[@]}" --dump-dom "$url" 2>/dev/null | grep -o '<circle class="point"' | wc -l)
svgs=$("$browser" "${flags[@]}" --dump-dom "$url" 2>/dev/null | grep -o '<svg ' | wc -l)
echo "rendered DOM: $svgs SVG plots, $points training points (expected $expected)"
mkdir -p "$(dirname "$shot")"
"$browser" "${flags[@]}" --window-size=1100,1500 --screenshot="$shot" "$url" >/dev/null 2>&1
echo "screenshot: $shot ($(stat -c %s "$shot") bytes)"
[ "$points" -eq "$expected" ]
