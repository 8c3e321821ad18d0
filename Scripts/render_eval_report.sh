#!/usr/bin/env bash
# Renders the held-out evaluation report of a binary classifier in headless Chromium (Debian package
# `chromium`), checks that the rendered page holds the training, validation and test sections with their ROC,
# precision-recall and calibration plots and the principal-component decision boundary, and saves a screenshot.
#
#   Scripts/render_eval_report.sh [SCREENSHOT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
shot=${1:-docs/images/eval-report.png}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium not found: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
swift build --product mlp >/dev/null
bin=$(swift build --show-bin-path)/mlp
work=$(mktemp -d)
python3 - "$work/data.csv" <<'PY'
import math, sys
with open(sys.argv[1], "w") as f:
    f.write("a,b,c,d,label\n")
    for i in range(300):
        a, b, c, d = math.sin(i * 0.37), math.cos(i * 0.11), (i % 17) / 8 - 1, (i % 5) / 2 - 1
        f.write(f"{a:.5f},{b:.5f},{c:.5f},{d:.5f},{'yes' if a + 0.6 * b - 0.3 * c + 0.2 * math.sin(i) > 0 else 'no'}\n")
PY
"$bin" train "$work/data.csv" --test-size 0.25 --random-state 0 --early-stopping --hidden-layer-sizes 16 \
  --max-iter 300 --output "$work/m.mlp" --report "$work/report.html" --quiet
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions)
dom=$("$browser" "${flags[@]}" --dump-dom "file://$work/report.html" 2>/dev/null)
count() { grep -o "$1" <<<"$dom" | wc -l; }
sets=$(count '<section class="set">'); roc=$(count '<polyline class="roc"'); pr=$(count '<polyline class="pr"')
calibration=$(count '<polyline class="calibration"'); pca=$(count 'principal component 1')
echo "rendered DOM: $sets sets, $roc ROC, $pr PR, $calibration calibration curves, PCA boundary: $pca"
mkdir -p "$(dirname "$shot")"
"$browser" "${flags[@]}" --window-size=1200,4200 --screenshot="$shot" "file://$work/report.html" >/dev/null 2>&1
echo "screenshot: $shot ($(stat -c %s "$shot") bytes)"
[ "$sets" -eq 3 ] && [ "$roc" -eq 3 ] && [ "$pr" -eq 3 ] && [ "$calibration" -eq 3 ] && [ "$pca" -ge 1 ]
