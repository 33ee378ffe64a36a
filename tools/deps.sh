#!/bin/sh
# The Debian packages the engine needs: to build and run it, and, besides, to test it.
#   tools/deps.sh --check        install the build and run packages that are missing when
#                                run as root (apt-get), otherwise print the exact apt-get
#                                line and fail (make catalogue)
#   tools/deps.sh --check-test   the same for the build and run packages and the test-only
#                                ones (make check)
#   tools/deps.sh --list         print the build and run packages
#   tools/deps.sh --list-test    print the test-only packages
#   tools/deps.sh --fuzz         the same as --check for what `make fuzz` needs besides (clang
#                                and its sanitizer and libFuzzer runtimes)
set -eu

# to build the engine and to run it: compiler, libraries, dictionaries, fonts
PACKAGES="gcc make pkg-config libc6-dev
libxml2-dev libxslt1-dev libcairo2-dev libpango1.0-dev librsvg2-dev libgdk-pixbuf-2.0-dev
libhyphen-dev libqpdf-dev libfontconfig-dev libsoup-3.0-dev zlib1g-dev
hyphen-fr hyphen-ru hyphen-bg hyphen-en-us hyphen-de
fonts-paratype fonts-dejavu-core fonts-liberation2 fonts-urw-base35 icc-profiles-free"

# only to test it: the unit test framework, PDF inspection, valgrind, a one-node Slurm
# cluster for the batch's job-array test (tests/e2e/test_batch_slurm.c), and a headless
# browser for the preview's (tests/e2e/test_preview.c)
TEST_PACKAGES="check poppler-utils qpdf valgrind slurm-wlm munge chromium"

# only for `make fuzz`
FUZZ_PACKAGES="clang libclang-rt-14-dev"

missing() {
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed"; then
            printf '%s ' "$p"
        fi
    done
}

check() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "deps: not a Debian system; install the equivalents of: $*" >&2
        exit 0
    fi
    # shellcheck disable=SC2086
    need=$(missing "$@")
    [ -z "$need" ] && exit 0
    if [ "$(id -u)" = 0 ]; then
        echo "deps: installing $need"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $need
        # Debian starts the daemons it installs; the tests start their own
        for s in slurmctld slurmd munge; do
            case " $need " in *" slurm-wlm "* | *" munge "*) service "$s" stop >/dev/null 2>&1 || true ;; esac
        done
    else
        echo "deps: missing Debian packages; install them with:" >&2
        echo "  sudo apt-get install -y --no-install-recommends $need" >&2
        exit 1
    fi
}

case "${1:---check}" in
--list)
    echo $PACKAGES
    ;;
--list-test)
    echo $TEST_PACKAGES
    ;;
--check)
    # shellcheck disable=SC2086
    check $PACKAGES
    ;;
--check-test)
    # shellcheck disable=SC2086
    check $PACKAGES $TEST_PACKAGES
    ;;
--fuzz)
    # shellcheck disable=SC2086
    check $FUZZ_PACKAGES
    ;;
*)
    echo "usage: tools/deps.sh [--check|--check-test|--fuzz|--list|--list-test]" >&2
    exit 2
    ;;
esac
