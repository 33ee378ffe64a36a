#!/bin/sh
# Runs the unit tests and the end-to-end tests of one build flavour.
#   tests/run-tests.sh BUILD_DIR TEST_NAME...
# Each test program is a check suite; their summaries are added up at the end.
set -u
build=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
export WB_SOURCE_DIR="$root"
export WB_BIN="$root/$build/bin/workbook"
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-600}
# leak checking stays with valgrind (make valgrind): pango and fontconfig keep caches for
# the life of the process
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0
status=0
for t in "$@"; do
    log=$(mktemp)
    "$root/$build/tests/$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
    checks=$(echo "$line" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
    fails=$(echo "$line" | sed -n 's/.*Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2/p')
    rm -f "$log"
    if [ -z "$checks" ]; then
        echo "$t: no summary (exit $rc)"
        failed=$((failed + 1))
        status=1
        continue
    fi
    f=$(echo "$fails" | awk '{ print $1 + $2 }')
    passed=$((passed + checks - f))
    failed=$((failed + f))
    [ "$rc" -eq 0 ] && [ "$f" -eq 0 ] || status=1
done
echo "$build: $passed passed, $failed failed"
exit $status
