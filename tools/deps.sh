#!/bin/sh
# The Debian packages the engine needs to build, run and test.
#   tools/deps.sh --check   install what is missing when run as root (apt-get), otherwise
#                           print the exact apt-get line and fail
#   tools/deps.sh --list    print the package names
#   tools/deps.sh --fuzz    the same for what `make fuzz` needs besides (clang and its
#                           sanitizer and libFuzzer runtimes); not needed to build or test
set -eu

PACKAGES="gcc make pkg-config libc6-dev
libxml2-dev libxslt1-dev libcairo2-dev libpango1.0-dev librsvg2-dev libgdk-pixbuf-2.0-dev
libhyphen-dev libqpdf-dev check
hyphen-fr hyphen-ru hyphen-bg hyphen-en-us hyphen-de
fonts-paratype fonts-dejavu-core
poppler-utils qpdf valgrind"

# only for `make fuzz`
FUZZ_PACKAGES="clang libclang-rt-14-dev"

missing() {
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed"; then
            printf '%s ' "$p"
        fi
    done
}

mode=${1:---check}
case "$mode" in
--fuzz) PACKAGES=$FUZZ_PACKAGES ;;
esac

case "$mode" in
--list)
    echo $PACKAGES
    ;;
--check | --fuzz)
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "deps: not a Debian system; install the equivalents of: $(echo $PACKAGES)" >&2
        exit 0
    fi
    # shellcheck disable=SC2086
    need=$(missing $PACKAGES)
    [ -z "$need" ] && exit 0
    if [ "$(id -u)" = 0 ]; then
        echo "deps: installing $need"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $need
    else
        echo "deps: missing Debian packages; install them with:" >&2
        echo "  sudo apt-get install -y --no-install-recommends $need" >&2
        exit 1
    fi
    ;;
*)
    echo "usage: tools/deps.sh [--check|--list|--fuzz]" >&2
    exit 2
    ;;
esac
