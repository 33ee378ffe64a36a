#!/bin/sh
# Checks that the expectations of tests/fo/*.expect can fail: formats a broken copy of each
# file (a mutant: a property deleted or changed, as if the engine ignored it) and reports
# which expectations catch it, then every expectation that no mutant broke.  A substitution
# applies to the file after its opening comment.
#   tools/fo-mutants.sh [BUILD_DIR] [FILE.fo...]
# The mutants are in tests/fo/MUTANTS.txt, one a line: FILE.fo, a tab, a perl substitution.
# Needs the test program: make BUILD_DIR/tests/test_fo_corpus.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-out}
[ $# -gt 0 ] && shift
bin="$root/$build/bin/workbook"
test="$root/$build/tests/test_fo_corpus"
[ -x "$test" ] || { echo "no $test: make $build/tests/test_fo_corpus" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
caught="$work/caught"
: >"$caught"
missed=0
n=0
while IFS='	' read -r file subst; do
    case "$file" in ''|'#'*) continue ;; esac
    if [ $# -gt 0 ]; then
        keep=false
        for f in "$@"; do [ "$f" = "$file" ] && keep=true; done
        $keep || continue
    fi
    n=$((n + 1))
    rm -rf "$work/src" && mkdir -p "$work/src/tests"
    cp -r "$root/tests/fo" "$work/src/tests/fo"
    # the substitution applies to the file after its opening comment, which names the
    # properties too
    perl -0pi -e 'my $head = s/\A(.*?-->)//s ? $1 : ""; '"$subst"'; $_ = $head . $_;' "$work/src/tests/fo/$file"
    if cmp -s "$root/tests/fo/$file" "$work/src/tests/fo/$file"; then
        printf "%s: %s: changes nothing\n" "$file" "$subst"
        missed=$((missed + 1))
        continue
    fi
    out=$(WB_SOURCE_DIR="$work/src" WB_BIN="$bin" CK_RUN_CASE="$file" CK_DEFAULT_TIMEOUT=300 "$test" 2>&1)
    lines=$(printf "%s\n" "$out" | grep -o "${file%.fo}\.expect line [0-9]*" | sed 's/.* line //' | sort -n | uniq | tr '\n' ' ')
    other=$(printf "%s\n" "$out" | grep -oE "[0-9]+ pages, FOP [0-9]+|exit [0-9]+|a page of [^,]*" | head -1)
    if [ -n "$lines" ]; then
        printf "%s: %s: caught by line %s%s\n" "$file" "$subst" "$lines" "${other:+ (and: $other)}"
        for l in $lines; do echo "$file $l" >>"$caught"; done
    elif [ -n "$other" ]; then
        printf "%s: %s: caught only by: %s\n" "$file" "$subst" "$other"
    else
        printf "%s: %s: NOT CAUGHT\n" "$file" "$subst"
        missed=$((missed + 1))
    fi
done <"$root/tests/fo/MUTANTS.txt"
echo
echo "Expectations no mutant broke:"
for e in "$root"/tests/fo/*.expect; do
    f=$(basename "$e" .expect).fo
    if [ $# -gt 0 ]; then
        keep=false
        for a in "$@"; do [ "$a" = "$f" ] && keep=true; done
        $keep || continue
    fi
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        case "$line" in ''|'#'*) continue ;; esac
        grep -qx "$f $i" "$caught" || printf "  %s line %s: %s\n" "$f" "$i" "$line"
    done <"$e"
done
echo "$n mutants, $missed not caught"
[ "$missed" -eq 0 ]
