#!/bin/sh
# Builds every shipped course edition: each course in courses/*/course.xml, in each of its
# languages, as participant workbook, trainer guide, exercise sheets and answer key, into
#   OUT/<course>/<course>-<lang>-<edition>.pdf
# Jobs run in parallel on all cores.  Dates inside the PDFs come from each course's <date>
# (or SOURCE_DATE_EPOCH when set), so the same sources give the same bytes, the bytes
# `workbook batch courses/catalogue.xml` gives.
#
# A fallback: `make catalogue` runs `workbook batch courses/catalogue.xml --out out`, which
# also builds the rosters' workbooks and certificates, rebuilds only what changed, and
# reports a failed edition with its position.  This loop rebuilds everything every time.
set -eu
out=${1:-out}
bin=${WORKBOOK:-$out/bin/workbook}
[ -x "$bin" ] || { echo "catalogue: $bin is not built (run make)" >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
list=$(mktemp)
trap 'rm -f "$list"' EXIT
for course in courses/*/course.xml; do
    name=$(basename "$(dirname "$course")")
    langs=$(sed -n 's/.*languages="\([^"]*\)".*/\1/p' "$course" | head -n 1)
    [ -n "$langs" ] || langs=en
    mkdir -p "$out/$name"
    for lang in $langs; do
        for edition in participant trainer exercises answers; do
            printf '%s %s %s %s\n' "$course" "$lang" "$edition" "$out/$name/$name-$lang-$edition.pdf" >>"$list"
        done
    done
done
total=$(wc -l <"$list")
start=$(date +%s.%N)
# each line: course lang edition output
if ! xargs -P "$jobs" -L 1 sh -c '"$0" build "$1" --lang "$2" --edition "$3" -q -o "$4" || { echo "catalogue: FAILED $1 $2 $3" >&2; exit 255; }' "$bin" <"$list"; then
    echo "catalogue: some editions failed" >&2
    exit 1
fi
end=$(date +%s.%N)
echo "catalogue: $total editions built in $out/ in $(echo "$end - $start" | bc 2>/dev/null || echo "?") s"
