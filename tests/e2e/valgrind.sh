#!/bin/sh
# Runs end-to-end builds under valgrind's memcheck: no invalid access, no use of
# uninitialised memory, no memory definitely lost.  (fontconfig, pango and glib keep caches
# for the life of the process; those are "still reachable" and not counted.)
#   tests/e2e/valgrind.sh BUILD_DIR
set -eu
build=${1:-out}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/bin/workbook"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v valgrind >/dev/null || { echo "valgrind: not installed (tools/deps.sh installs it)" >&2; exit 1; }
vg="valgrind --suppressions=$root/tests/e2e/valgrind.supp --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --num-callers=30"
passed=0
failed=0
# run NAME [valgrind_children] COMMAND...: valgrind_children also follows programs the command
# execs (the workers a batch forks are under valgrind anyway)
run() {
    name=$1
    shift
    opts=
    if [ "$1" = valgrind_children ]; then
        opts=--trace-children=yes
        shift
    fi
    # shellcheck disable=SC2086
    if $vg $opts "$@" >"$tmp/log" 2>&1; then
        passed=$((passed + 1))
        echo "valgrind: $name: clean"
    else
        failed=$((failed + 1))
        echo "valgrind: $name: FAILED"
        cat "$tmp/log"
    fi
}
export SOURCE_DATE_EPOCH=1700000000
run "participant workbook (bg)" "$bin" build "$root/courses/fruitful-client-relations/course.xml" --lang bg -q -o "$tmp/bg.pdf"
run "trainer guide (fr), PNG pages" "$bin" build "$root/courses/keeping-promises/course.xml" --lang fr --edition trainer -q --format png --dpi 20 -o "$tmp/fr.png"
run "a small FO file" "$bin" render "$root/tests/data/e2e/three-pages.fo" -q -o "$tmp/three.pdf"
run "pages given up and again (numbers settling late)" "$bin" render "$root/tests/data/e2e/settles-late.fo" -q -o "$tmp/late.pdf"
# a batch: the parent and its two forked workers, each checked
run "a batch of a roster's workbook and certificate, and an answer key" valgrind_children "$bin" batch \
    "$root/tests/data/batch/catalogue.xml" -j 2 -q --out "$tmp/batch" --only '*anna-smith*' --only '*fr-answers*'
run "bad input" sh -c "\"$bin\" build \"$root/tests/data/e2e/invalid-course.xml\" -o \"$tmp/x.pdf\" 2>/dev/null; test \$? -eq 1"
h="$root/tests/data/hostile"
run "a stylesheet reading /etc/passwd (refused)" sh -c "cd \"$h/style\" && \"$bin\" build input.xml --style document-passwd.xsl -o \"$tmp/x.fo\" 2>/dev/null; test \$? -eq 1"
run "a stylesheet stopped by its time limit" sh -c "cd \"$h/style\" && WB_MAX_SECONDS=2 \"$bin\" build input.xml --style endless-loop.xsl -o \"$tmp/x.fo\" 2>/dev/null; test \$? -eq 1"
run "a stylesheet stopped by its memory limit" sh -c "cd \"$h/style\" && WB_MAX_MEMORY=32M \"$bin\" build input.xml --style memory-one-step.xsl -o \"$tmp/x.fo\" 2>/dev/null; test \$? -eq 1"
run "a PNG bomb (refused)" sh -c "cd \"$h/fo\" && \"$bin\" render image-svg-bomb.fo -o \"$tmp/x.pdf\" 2>/dev/null; test \$? -eq 1"
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
