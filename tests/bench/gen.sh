#!/bin/sh
# Writes the benchmark documents of `make bench` into DIR (default out/bench):
#   book-40.fo, book-400.fo, book-1600.fo   the multilingual workbook (book.awk) as XSL-FO,
#   book-40.txt ...                          and its content for the bare program (bare.c);
#   merge-500/, merge-1/                     the mail merge: letters.xml (letters.awk) with
#                                            500 and 1 letters, beside it the logo and
#                                            letter.typ (Typst reads letters.xml beside it).
# The text is that of tests/data/seeds/seed-{fr,ru,bg}.txt, so nothing outside the
# repository is needed.  POSIX sh and awk only.
#   tests/bench/gen.sh [DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/out/bench}
seeds=$root/tests/data/seeds
LC_ALL=C
export LC_ALL

mkdir -p "$out"
for lang in fr ru bg; do
    [ -r "$seeds/seed-$lang.txt" ] || { echo "gen.sh: $seeds/seed-$lang.txt is missing" >&2; exit 1; }
done
for pages in ${BENCH_BOOKS:-40 400 1600}; do
    awk -v pages="$pages" -v fo="$out/book-$pages.fo" -v txt="$out/book-$pages.txt" -f "$here/book.awk" \
        "$seeds/seed-fr.txt" "$seeds/seed-ru.txt" "$seeds/seed-bg.txt"
done
for n in 500 1; do
    dir=$out/merge-$n
    mkdir -p "$dir"
    awk -v letters="$n" -v xml="$dir/letters.xml" -f "$here/letters.awk" \
        "$seeds/seed-fr.txt" "$seeds/seed-ru.txt" "$seeds/seed-bg.txt"
    cp "$here/logo.svg" "$here/letter.typ" "$dir/"
done
