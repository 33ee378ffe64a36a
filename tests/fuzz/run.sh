#!/bin/sh
# Runs libFuzzer targets of a fuzz build for a number of seconds each, on their seeds from
# tests/ and a working corpus kept in BUILD/corpus/TARGET.  A crash, a leak, a hang (an input
# taking more than FUZZ_TIMEOUT seconds) or running out of memory fails, with the input in
# BUILD/artifacts/TARGET/; save it under tests/fuzz/regressions/TARGET/ once fixed.
#   tests/fuzz/run.sh BUILD SECONDS TARGET...
set -u
build=$1
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
export WB_SOURCE_DIR="$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
status=0
for t in "$@"; do
    case $t in
    load) seeds="tests/data/invalid tests/data/valid tests/data/unit/load tests/data/unit/xinclude tests/data/unit/course tests/data/hostile/course" ;;
    format | properties) seeds="tests/fo tests/data/unit/fo tests/data/seeds tests/data/e2e tests/data/hostile/fo" ;;
    catalogue) seeds="tests/data/batch" ;;
    *) echo "fuzz: unknown target $t" >&2; exit 2 ;;
    esac
    corpus="$build/corpus/$t"
    artifacts="$build/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    dirs=""
    for d in $seeds; do [ -d "$root/$d" ] && dirs="$dirs $root/$d"; done
    echo "fuzz: $t for $seconds s"
    # shellcheck disable=SC2086
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-30}" -rss_limit_mb=3072 \
        -max_len=65536 -dict="$root/tests/fuzz/xml.dict" -artifact_prefix="$artifacts/" \
        -print_final_stats=1 "$corpus" $dirs
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "fuzz: $t failed (exit $rc): see $artifacts/" >&2
        status=1
    fi
done
exit $status
