#!/bin/sh
# The preview's figure for make bench: a one-character edit in a module of the shipped course
# until the browser has the new page.  Runs the "live" case of tests/e2e/test_preview.c
# (workbook preview over a copy of the course; headless Chromium keeps the page open while
# the module changes and says when the new build's images are loaded) BENCH_RUNS times
# (default 5) and prints a markdown section with the median; tests/bench/run.sh appends it
# to its report, and it runs alone too:
#   tests/bench/preview.sh [BUILD]        (needs BUILD/tests/test_preview and chromium)
# Environment: BENCH_PREVIEW_COURSE (default courses/fruitful-client-relations),
# BENCH_PREVIEW_MODULE (default modules/clients.en.xml).
set -u
LC_ALL=C
export LC_ALL
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-out}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${BENCH_RUNS:-5}
course=${BENCH_PREVIEW_COURSE:-courses/fruitful-client-relations}
module=${BENCH_PREVIEW_MODULE:-modules/clients.en.xml}
prog=$build/tests/test_preview
logs=$build/bench/logs
mkdir -p "$logs" || exit 1

echo "## Preview (workbook preview: a one-character edit until the browser has the new page)"
echo
if [ ! -x "$prog" ]; then
    echo "not measured: $prog is not built (make $build/tests/test_preview)"
    exit 0
fi
if ! command -v chromium >/dev/null 2>&1; then
    echo "not measured: chromium is not installed (tools/deps.sh --check-test)"
    exit 0
fi
figures=$(mktemp "${TMPDIR:-/tmp}/bench-preview.XXXXXX") || exit 1
trap 'rm -f "$figures"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
    echo "bench: preview, edit $i of $runs" >&2
    WB_SOURCE_DIR=$root WB_BIN=$build/bin/workbook CK_RUN_CASE=live CK_DEFAULT_TIMEOUT=180 \
        WB_PREVIEW_COURSE=$course WB_PREVIEW_MODULE=$module "$prog" >"$logs/preview-$i.log" 2>&1
    sed -n 's/^preview: a one-character edit reached the browser in \([0-9.]*\) s (rebuilt in \([0-9.]*\) s).*/\1 \2/p' \
        "$logs/preview-$i.log" >>"$figures"
    i=$((i + 1))
done
echo "$course, \`$module\`: the first \`<para>\` gets one more character while headless Chromium"
echo "shows the page; from the write until every image of the new build is loaded in the browser"
echo "(median of $runs; the rebuild is the server's own time: load, transform, format, changed"
echo "pages drawn)."
echo
echo "| runs | edit to browser, median s | rebuild, median s | target |"
echo "| ---: | ---: | ---: | --- |"
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
edit=$(cut -d' ' -f1 "$figures" | median)
rebuild=$(cut -d' ' -f2 "$figures" | median)
if [ -z "$edit" ]; then
    echo "| $runs | failed (see $logs/preview-*.log) | | < 1 s |"
else
    awk -v n="$(wc -l <"$figures")" -v e="$edit" -v r="$rebuild" \
        'BEGIN { printf "| %d | %.2f | %.2f | < 1 s: %s |\n", n, e, r, e < 1 ? "met" : "not met" }'
fi
