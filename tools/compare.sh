#!/bin/bash
# compare.sh - render XSL-FO test files with the engine and with Apache FOP, and compare.
#
# Usage: tools/compare.sh [-j N] [-o DIR] [--no-fop] [--no-hyph] [FILE.fo ...]
#
# For every tests/fo/*.fo (or the files given) this renders FILE.fo with the engine
# ($WORKBOOK, default out/bin/workbook) and, when Apache FOP is installed ($FOP, default
# `fop`), with FOP, then prints one row per file:
#
#   file  engine-pages  fop-pages  text
#
# where text is "same" when the text extracted with pdftotext is identical after
# normalisation (whitespace collapsed; soft hyphens, hyphens at line ends and all other
# hyphens removed; runs of leader dots removed; Latin ligatures expanded), "order" when
# the same words appear in another order, and "differs pN" otherwise (N = the first page
# whose words differ). A final line summarises:
#
#   compare: N files, N same page count, N same text
#
# Output goes to out/compare/ (or -o DIR): NAME.engine.pdf, NAME.fop.pdf, NAME.*.txt
# (normalised text, one line per page), NAME.*.log (warnings), and compare.txt (the table).
#
# FOP runs in a single JVM for all files (a small Java driver compiled with javac into a
# temporary directory; -j N render threads) because its start-up costs seconds; without
# javac each file is rendered with the `fop` command instead. FOP gets a generated
# configuration: <fonts><auto-detect/></fonts> for the system fonts (PT Serif/PT Sans
# come from fonts-paratype) and, unless --no-hyph, a <hyphenation-base> holding FOP XML
# patterns converted from Debian's libhyphen dictionaries (/usr/share/hyphen), so both
# formatters hyphenate French, Russian, Bulgarian, German and English from the same
# patterns (Debian's fop package ships no hyphenation patterns of its own). FOP's pattern
# tree cannot hold Debian's German dictionary (78000 patterns): for it FOP gets only the
# patterns that occur in the words of the compared files, which hyphenate those words
# exactly as the whole dictionary does.
#
# Exit status: 0 when every file was rendered (whatever the differences: this reports, it
# does not judge); 1 when a tool fails to run or fails to produce a PDF; 2 on bad usage.
#
# Environment: WORKBOOK (engine binary), FOP (fop command), JAVA, JAVAC.

set -u
export LC_ALL=C.UTF-8

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORKBOOK=${WORKBOOK:-$ROOT/out/bin/workbook}
FOP=${FOP:-fop}
JAVA=${JAVA:-java}
JAVAC=${JAVAC:-javac}
OUT=$ROOT/out/compare
JOBS=1
USE_FOP=1
USE_HYPH=1

usage() {
    sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//' | sed '/^Usage/,$!d'
}

while [ $# -gt 0 ]; do
    case $1 in
        -j) [ $# -ge 2 ] || { usage >&2; exit 2; }; JOBS=$2; shift 2 ;;
        -j*) JOBS=${1#-j}; shift ;;
        -o) [ $# -ge 2 ] || { usage >&2; exit 2; }; OUT=$2; shift 2 ;;
        --no-fop) USE_FOP=0; shift ;;
        --no-hyph) USE_HYPH=0; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; break ;;
        -*) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) break ;;
    esac
done
case $JOBS in ''|*[!0-9]*|0) echo "compare.sh: -j needs a positive number" >&2; exit 2 ;; esac

if [ $# -gt 0 ]; then
    FILES=("$@")
else
    FILES=("$ROOT"/tests/fo/*.fo)
fi
for f in "${FILES[@]}"; do
    [ -f "$f" ] || { echo "compare.sh: $f: no such file" >&2; exit 2; }
done

fail() { echo "compare.sh: $*" >&2; exit 1; }
for tool in pdftotext pdfinfo perl; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (poppler-utils, perl)"
done
[ -x "$WORKBOOK" ] || fail "$WORKBOOK: engine not built (run make all) or not executable"
if [ $USE_FOP = 1 ] && ! command -v "$FOP" >/dev/null 2>&1; then
    echo "compare.sh: Apache FOP ($FOP) not installed: engine only" >&2
    USE_FOP=0
fi

mkdir -p "$OUT" || fail "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/compare.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
STATUS=0

# ---------------------------------------------------------------------------------------
# Text normalisation: pdftotext output (pages separated by form feeds) on stdin, one
# normalised line per page on stdout.
cat > "$TMP/normalise.pl" <<'EOF'
use strict; use warnings;
binmode STDIN, ':encoding(UTF-8)'; binmode STDOUT, ':encoding(UTF-8)';
local $/; my $all = <STDIN> // '';
$all =~ s/\f\s*\z//;                          # pdftotext ends the last page with \f too
# a word hyphenated across a page break belongs to the page where it starts
$all =~ s/[-\x{00AD}\x{2010}][ \t]*\n*\f\s*(\S+)[ \t]*/$1\n\f/g;
for my $t (split /\f/, $all, -1) {
    $t =~ s/\x{00AD}[ \t]*\n?//g;             # soft hyphens, and the line break after them
    $t =~ s/[-\x{2010}\x{2011}][ \t]*\n//g;   # hyphen at a line end: join the two halves
    $t =~ s/[-\x{2010}\x{2011}]//g;           # other hyphens: dropped on both sides alike
    $t =~ s/\x{FB00}/ff/g; $t =~ s/\x{FB01}/fi/g; $t =~ s/\x{FB02}/fl/g;
    $t =~ s/\x{FB03}/ffi/g; $t =~ s/\x{FB04}/ffl/g;
    $t =~ s/(?:[.\x{2026}\x{00B7}][ \t]*){3,}/ /g;   # leader dots
    $t =~ s/[\s\x{00A0}\x{2000}-\x{200B}\x{202F}]+/ /g;
    $t =~ s/^ //; $t =~ s/ $//;
    print "$t\n";
}
EOF

# Compare two normalised texts: prints "same", "order" or "differs pN".
cat > "$TMP/textcmp.pl" <<'EOF'
use strict; use warnings;
sub slurp { open my $f, '<:encoding(UTF-8)', $_[0] or return (); my @l = <$f>; chomp @l; return @l; }
my @a = slurp($ARGV[0]); my @b = slurp($ARGV[1]);
my $ja = join(' ', grep { length } @a); my $jb = join(' ', grep { length } @b);
if ($ja eq $jb) { print "same\n"; exit 0; }
my @wa = sort split / /, $ja; my @wb = sort split / /, $jb;
if ("@wa" eq "@wb") { print "order\n"; exit 0; }
my $n = @a > @b ? @a : @b;
for my $i (0 .. $n - 1) {
    my $x = join ' ', sort split / /, ($a[$i] // ''); my $y = join ' ', sort split / /, ($b[$i] // '');
    if ($x ne $y) { printf "differs p%d\n", $i + 1; exit 0; }
}
print "differs\n";
EOF

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# A file's name in OUT: its own, or with its folder's before it when files of several
# folders share it (FOP's examples hold two simple.fo).
declare -A BASE_COUNT=()
for f in "${FILES[@]}"; do
    b=$(basename "$f" .fo)
    BASE_COUNT[$b]=$((${BASE_COUNT[$b]:-0} + 1))
done
name_of() {
    local b
    b=$(basename "$1" .fo)
    if [ "${BASE_COUNT[$b]}" -gt 1 ]; then
        echo "$(basename "$(dirname "$1")")-$b"
    else
        echo "$b"
    fi
}
text_of() { pdftotext -enc UTF-8 "$1" - 2>/dev/null | perl "$TMP/normalise.pl"; }

# ---------------------------------------------------------------------------------------
# Engine: one process per file, up to JOBS at a time.
render_engine() {
    local f=$1 name
    name=$(name_of "$f")
    rm -f "$OUT/$name.engine.pdf"
    if "$WORKBOOK" render "$f" -o "$OUT/$name.engine.pdf" >"$OUT/$name.engine.log" 2>&1 \
        && [ -s "$OUT/$name.engine.pdf" ]; then
        echo "OK $(pages_of "$OUT/$name.engine.pdf")" >"$TMP/$name.engine.res"
    else
        echo "ERR $?" >"$TMP/$name.engine.res"
    fi
}

# ---------------------------------------------------------------------------------------
# FOP: configuration, hyphenation patterns and the batch driver.

# FOP XML hyphenation patterns from a libhyphen dictionary: $1 = .dic, $2 = XML to write,
# $3 = optional list of words. FOP's pattern tree has 16-bit node indices and cannot hold
# Debian's German dictionary (78000 patterns): when a dictionary has more than 50000
# patterns, only the patterns that occur in the given words are kept, which hyphenates
# those words exactly as the whole dictionary would.
convert_patterns() {
    local dic=$1 xml=$2 words=${3:-} enc
    enc=$(head -n 1 "$dic" | tr -d '\r ')
    case $enc in KOI8-R|ISO8859-*|UTF-8) ;; microsoft-cp1251) enc=CP1251 ;; *) enc=UTF-8 ;; esac
    iconv -f "$enc" -t UTF-8 "$dic" 2>/dev/null | perl "$ROOT/tools/fop-patterns.pl" "$words" >"$xml.tmp" \
        && mv "$xml.tmp" "$xml"
}

setup_fop() {
    local hyph="" lang dic
    if [ $USE_HYPH = 1 ] && [ -d /usr/share/hyphen ]; then
        # every word of the compared files, lower-cased, for the dictionaries FOP cannot hold
        perl -e 'binmode STDOUT, ":encoding(UTF-8)"; my %w;
                 for my $f (@ARGV) { open my $h, "<:encoding(UTF-8)", $f or next; local $/; my $t = <$h>;
                     $t =~ s/<[^>]*>/ /g; $w{lc $_} = 1 for $t =~ /(\p{L}+)/g; }
                 print "$_\n" for sort keys %w;' "${FILES[@]}" >"$TMP/words.txt"
        mkdir -p "$OUT/fop-hyph"
        for lang in fr:hyph_fr.dic ru:hyph_ru_RU.dic bg:hyph_bg_BG.dic de:hyph_de_DE.dic en:hyph_en_US.dic; do
            dic=/usr/share/hyphen/${lang#*:}
            [ -f "$dic" ] || continue
            convert_patterns "$dic" "$OUT/fop-hyph/${lang%%:*}.xml" "$TMP/words.txt" \
                || echo "compare.sh: could not convert $dic for FOP" >&2
        done
        hyph="  <hyphenation-base>file://$OUT/fop-hyph/</hyphenation-base>"
    fi
    cat >"$TMP/fop.xconf" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<fop version="1.0">
  <font-base>file:///usr/share/fonts/</font-base>
$hyph
  <renderers>
    <renderer mime="application/pdf">
      <fonts><auto-detect/></fonts>
    </renderer>
  </renderers>
</fop>
EOF
}

# The batch driver: java FopBatch CONFIG JOBS LIST, LIST lines "fo<TAB>pdf<TAB>log";
# prints "NAME<TAB>OK<TAB>PAGES" or "NAME<TAB>ERR<TAB>message" per file.
write_driver() {
    cat >"$TMP/FopBatch.java" <<'EOF'
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import javax.xml.transform.*;
import javax.xml.transform.sax.SAXResult;
import javax.xml.transform.stream.StreamSource;
import org.apache.fop.apps.*;
import org.apache.fop.events.*;

public class FopBatch {
    // one factory per thread and folder: a FopFactory's configuration (a Xerces DOM) is not
    // safe to read from several threads at once
    private static final ThreadLocal<Map<String, FopFactory>> FACTORIES = ThreadLocal.withInitial(HashMap::new);
    private static File conf;

    private static FopFactory factory(File dir) throws Exception {
        String key = dir.getCanonicalPath();
        FopFactory f = FACTORIES.get().get(key);
        if (f == null) {
            try (InputStream in = new FileInputStream(conf)) {
                f = new FopConfParser(in, dir.getCanonicalFile().toURI()).getFopFactoryBuilder().build();
            }
            FACTORIES.get().put(key, f);
        }
        return f;
    }

    private static String render(String fo, String pdf, String logName) {
        File foFile = new File(fo), pdfFile = new File(pdf), tmp = new File(pdf + ".part");
        String name = pdfFile.getName().replaceAll("\\.fop\\.pdf$", "");
        try (PrintWriter log = new PrintWriter(new OutputStreamWriter(new FileOutputStream(logName), StandardCharsets.UTF_8), true)) {
            try {
                FopFactory factory = factory(foFile.getAbsoluteFile().getParentFile());
                FOUserAgent ua = factory.newFOUserAgent();
                ua.getEventBroadcaster().addEventListener(new org.apache.fop.events.EventListener() {
                    public void processEvent(Event e) {
                        if (e.getSeverity() != org.apache.fop.events.model.EventSeverity.INFO)
                            log.println(fo + ": " + e.getSeverity() + ": " + EventFormatter.format(e));
                    }
                });
                int pages;
                try (OutputStream out = new BufferedOutputStream(new FileOutputStream(tmp))) {
                    Fop fop = factory.newFop(MimeConstants.MIME_PDF, ua, out);
                    Transformer t = TransformerFactory.newInstance().newTransformer();
                    t.transform(new StreamSource(foFile), new SAXResult(fop.getDefaultHandler()));
                    pages = fop.getResults().getPageCount();
                }
                Files.move(tmp.toPath(), pdfFile.toPath(), StandardCopyOption.REPLACE_EXISTING);
                return name + "\tOK\t" + pages;
            } catch (Throwable e) {
                tmp.delete();
                log.println(fo + ": ERROR: " + e);
                StackTraceElement[] st = e.getStackTrace();
                for (int i = 0; i < st.length && i < 12; i++) log.println("    at " + st[i]);
                return name + "\tERR\t" + String.valueOf(e).replace('\t', ' ').replace('\n', ' ');
            }
        } catch (IOException e) {
            return name + "\tERR\tcannot write " + logName;
        }
    }

    public static void main(String[] args) throws Exception {
        conf = new File(args[0]);
        int jobs = Integer.parseInt(args[1]);
        List<String[]> items = new ArrayList<>();
        for (String l : Files.readAllLines(Paths.get(args[2]), StandardCharsets.UTF_8))
            if (!l.isEmpty()) items.add(l.split("\t"));
        // big stacks: FOP builds the hyphenation trees recursively (German has 78000 patterns)
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> new Thread(null, r, "fop", 512L << 20));
        List<Future<String>> results = new ArrayList<>();
        for (String[] it : items) results.add(pool.submit(() -> render(it[0], it[1], it[2])));
        for (Future<String> r : results) { System.out.println(r.get()); System.out.flush(); }
        pool.shutdown();
    }
}
EOF
}

fop_classpath() {
    local cp="" j
    for j in fop fop-core fop-events fop-util batik-all commons-io commons-logging \
             xmlgraphics-commons xml-apis-ext fontbox2 xercesImpl serializer; do
        [ -f "/usr/share/java/$j.jar" ] && cp="$cp${cp:+:}/usr/share/java/$j.jar"
    done
    [ -f /usr/share/fop/fop-hyph.jar ] && cp="$cp:/usr/share/fop/fop-hyph.jar"
    echo "$cp"
}

run_fop() {
    local f name cp
    : >"$TMP/fop.list"
    for f in "${FILES[@]}"; do
        name=$(name_of "$f")
        rm -f "$OUT/$name.fop.pdf"
        printf '%s\t%s\t%s\n' "$f" "$OUT/$name.fop.pdf" "$OUT/$name.fop.log" >>"$TMP/fop.list"
    done
    cp=$(fop_classpath)
    write_driver
    if command -v "$JAVAC" >/dev/null 2>&1 && [ -n "$cp" ] \
        && "$JAVAC" -nowarn -cp "$cp" -d "$TMP" "$TMP/FopBatch.java" >"$TMP/javac.log" 2>&1; then
        "$JAVA" -Djava.awt.headless=true \
            -Dorg.apache.commons.logging.Log=org.apache.commons.logging.impl.NoOpLog \
            -cp "$TMP:$cp" FopBatch "$TMP/fop.xconf" "$JOBS" "$TMP/fop.list" \
            >"$TMP/fop.results" 2>"$OUT/fop-batch.log"
        while IFS=$'\t' read -r name st rest; do
            echo "$st $rest" >"$TMP/$name.fop.res"
        done <"$TMP/fop.results"
    else
        echo "compare.sh: no javac or the FOP driver did not compile: one fop process per file" >&2
        [ -s "$TMP/javac.log" ] && sed 's/^/  javac: /' "$TMP/javac.log" | head -20 >&2
        while IFS=$'\t' read -r f pdf log; do
            name=$(name_of "$f")
            ( if "$FOP" -q -c "$TMP/fop.xconf" -fo "$f" -pdf "$pdf" >"$log" 2>&1 && [ -s "$pdf" ]; then
                  echo "OK $(pages_of "$pdf")" >"$TMP/$name.fop.res"
              else
                  echo "ERR fop failed" >"$TMP/$name.fop.res"
              fi ) &
            while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
        done <"$TMP/fop.list"
        wait
    fi
}

# ---------------------------------------------------------------------------------------
if [ $USE_FOP = 1 ]; then
    setup_fop
    run_fop &
    FOP_PID=$!
fi

for f in "${FILES[@]}"; do
    render_engine "$f" &
    while [ "$(jobs -rp | wc -l)" -ge "$((JOBS + USE_FOP))" ]; do wait -n; done
done
if [ $USE_FOP = 1 ]; then
    wait "$FOP_PID"
fi
wait

# ---------------------------------------------------------------------------------------
n=0; same_pages=0; same_text=0
{
    printf '%-36s %7s %5s  %s\n' file engine fop text
    for f in "${FILES[@]}"; do
        name=$(name_of "$f")
        n=$((n + 1))
        read -r est epages <"$TMP/$name.engine.res" 2>/dev/null || { est=ERR; epages=""; }
        if [ "$est" = OK ]; then
            text_of "$OUT/$name.engine.pdf" >"$OUT/$name.engine.txt"
        else
            epages=ERR; STATUS=1
            echo "compare.sh: $f: the engine failed (see $OUT/$name.engine.log)" >&2
        fi
        fpages=-; text=-
        if [ $USE_FOP = 1 ]; then
            read -r fst fpages <"$TMP/$name.fop.res" 2>/dev/null || { fst=ERR; fpages=""; }
            if [ "$fst" = OK ]; then
                text_of "$OUT/$name.fop.pdf" >"$OUT/$name.fop.txt"
                if [ "$est" = OK ]; then
                    text=$(perl "$TMP/textcmp.pl" "$OUT/$name.engine.txt" "$OUT/$name.fop.txt")
                    [ "$epages" = "$fpages" ] && same_pages=$((same_pages + 1))
                    [ "$text" = same ] && same_text=$((same_text + 1))
                fi
            else
                fpages=ERR; STATUS=1
                echo "compare.sh: $f: FOP failed (see $OUT/$name.fop.log)" >&2
            fi
        fi
        printf '%-36s %7s %5s  %s\n' "$name.fo" "$epages" "$fpages" "$text"
    done
    echo "compare: $n files, $same_pages same page count, $same_text same text"
} >"$OUT/compare.txt"
cat "$OUT/compare.txt"
exit $STATUS
