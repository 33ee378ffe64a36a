# The benchmark workbook (make bench, tests/bench/gen.sh): a multilingual workbook of about
# `pages` A4 pages, written twice from the same content:
#   fo:  XSL-FO for the engine and Apache FOP, in the course styles' fonts and sizes;
#   txt: the same content as tab-separated lines for the bare pango+cairo program (bare.c).
#
#   awk -v pages=400 -v fo=OUT.fo -v txt=OUT.txt -f book.awk seed-fr.txt seed-ru.txt seed-bg.txt
#
# The text comes from the seed files (one paragraph a line; the language is the LL of
# seed-LL.txt).  The document: a contents list (a fo:page-number-citation per heading, about
# one a page), then chapters of SECTIONS sections, each chapter on a new page in one language
# (fr, ru, bg in turn), its title in a marker for the running head.  A section: a heading,
# justified and hyphenated paragraphs, every second section a bulleted list, every third a
# table.  Static content: the chapter (retrieve-marker) and the page number.
#
# The txt format, one item a line, fields separated by tabs:
#   C lang id title        chapter: a new page, heading, running head
#   S lang id title        section heading
#   P lang text            paragraph
#   B lang text            bulleted list item
#   H lang c1 c2 c3        table header row (starts a table)
#   R lang c1 c2 c3        table row
# Run with LC_ALL=C: lengths are counted in bytes and characters are told from UTF-8 bytes.

function chars(s,    t, n) {            # characters in a UTF-8 string
    t = s
    n = gsub(/[\200-\277]/, "", t)
    return length(s) - n
}

function esc(s) {                         # XML text
    gsub(/&/, "\\&amp;", s)
    gsub(/</, "\\&lt;", s)
    gsub(/>/, "\\&gt;", s)
    return s
}

# the first n words of s, without punctuation around them
function words(s, n,    a, k, i, r) {
    k = split(s, a, " ")
    r = ""
    for (i = 1; i <= k && i <= n; i++)
        r = r (i > 1 ? " " : "") a[i]
    return trim(r)
}

# s without spaces and punctuation at either end (ASCII, and the guillemets as whole
# characters: a byte class would cut UTF-8 sequences)
function trim(s,    again) {
    do {
        again = 1
        if (s ~ /^[ .,;:!?"'()-]/)
            s = substr(s, 2)
        else if (s ~ /[ .,;:!?"'()-]$/)
            s = substr(s, 1, length(s) - 1)
        else if (substr(s, 1, 2) == "\302\253" || substr(s, 1, 2) == "\302\273")
            s = substr(s, 3)
        else if (substr(s, length(s) - 1) == "\302\253" || substr(s, length(s) - 1) == "\302\273")
            s = substr(s, 1, length(s) - 2)
        else
            again = 0
    } while (again && s != "")
    return s
}

function next_para(lang) {                # the language's paragraphs, in turn
    pi[lang] = pi[lang] % np[lang] + 1
    return para[lang, pi[lang]]
}

function next_phrase(lang, n,    s) {     # a few words from the next phrase source
    qi[lang] = qi[lang] % nq[lang] + 1
    s = words(phrase[lang, qi[lang]], n)
    return s == "" ? lang : s
}

function heading_text(lang, n,    s) {
    s = next_phrase(lang, n)
    return toupper(substr(s, 1, 1)) substr(s, 2)
}

function fo_head(    s) {
    s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    s = s "<!-- The benchmark workbook of make bench (tests/bench/book.awk): " chapters " chapters of " SECTIONS " sections in\n"
    s = s "     French, Russian and Bulgarian, justified and hyphenated; a contents list with a page number per\n"
    s = s "     heading; the chapter in the running head.  Generated: do not edit. -->\n"
    s = s "<fo:root xmlns:fo=\"http://www.w3.org/1999/XSL/Format\" font-family=\"PT Serif\" font-size=\"10.5pt\"\n"
    s = s "         line-height=\"1.4\" color=\"#222222\" hyphenate=\"true\" language=\"fr\" xml:lang=\"fr\">\n"
    s = s "  <fo:layout-master-set>\n"
    s = s "    <fo:simple-page-master master-name=\"page\" page-width=\"210mm\" page-height=\"297mm\"\n"
    s = s "        margin-top=\"12mm\" margin-bottom=\"11mm\" margin-left=\"23mm\" margin-right=\"23mm\">\n"
    s = s "      <fo:region-body margin-top=\"17mm\" margin-bottom=\"15mm\"/>\n"
    s = s "      <fo:region-before extent=\"11mm\" display-align=\"after\"/>\n"
    s = s "      <fo:region-after extent=\"10mm\" display-align=\"after\"/>\n"
    s = s "    </fo:simple-page-master>\n"
    s = s "  </fo:layout-master-set>\n"
    s = s "  <fo:page-sequence master-reference=\"page\" initial-page-number=\"1\">\n"
    s = s "    <fo:static-content flow-name=\"xsl-region-before\">\n"
    s = s "      <fo:block font-family=\"PT Sans\" font-size=\"8pt\" line-height=\"1.2\" color=\"#5F6368\" text-align=\"start\"\n"
    s = s "          text-align-last=\"justify\" hyphenate=\"false\" border-bottom=\"0.5pt solid #1B4F72\" padding-bottom=\"1.2mm\"><fo:retrieve-marker\n"
    s = s "          retrieve-class-name=\"chapter\"/><fo:leader leader-pattern=\"space\"/>" TITLE "</fo:block>\n"
    s = s "    </fo:static-content>\n"
    s = s "    <fo:static-content flow-name=\"xsl-region-after\">\n"
    s = s "      <fo:block font-family=\"PT Sans\" font-size=\"8pt\" line-height=\"1.2\" color=\"#5F6368\" text-align=\"end\"\n"
    s = s "          hyphenate=\"false\"><fo:page-number/></fo:block>\n"
    s = s "    </fo:static-content>\n"
    s = s "    <fo:flow flow-name=\"xsl-region-body\">\n"
    return s
}

function h1_attrs() {
    return "font-family=\"PT Sans\" font-weight=\"bold\" font-size=\"24pt\" line-height=\"1.2\" color=\"#1B4F72\" text-align=\"start\" hyphenate=\"false\" space-after=\"6mm\" padding-bottom=\"2mm\" border-bottom=\"1pt solid #1B4F72\""
}

BEGIN {
    if (pages == "") pages = 40
    SECTIONS = 8                          # sections a chapter
    PARA_CHARS = 2600                     # characters of paragraphs a section
    DENSITY = 0.98                        # sections a page (calibrated on the engine)
    TITLE = "Workbook benchmark"
}

FNR == 1 {
    lang = FILENAME
    sub(/.*seed-/, "", lang)
    sub(/\.[a-z]*$/, "", lang)
    langs[++nl] = lang
}

{
    s = $0
    gsub(/[\r\t]/, " ", s)
    gsub(/  +/, " ", s)
    sub(/^ /, "", s)
    sub(/ $/, "", s)
    if (s == "")
        next
    n = chars(s)
    if (n >= 120)
        para[lang, ++np[lang]] = s
    if (n >= 25)
        phrase[lang, ++nq[lang]] = s
}

END {
    for (i = 1; i <= nl; i++)
        if (np[langs[i]] == 0 || nq[langs[i]] == 0) {
            print "book.awk: no paragraphs in the seed text of " langs[i] > "/dev/stderr"
            exit 1
        }
    sections = int(pages * DENSITY + 0.5)
    chapters = int((sections + SECTIONS - 1) / SECTIONS)
    if (chapters < 1) chapters = 1

    # the content first, as items: kind, language, id, text (cells joined by tabs)
    n = 0
    for (c = 1; c <= chapters; c++) {
        lang = langs[(c - 1) % nl + 1]
        kind[++n] = "C"; il[n] = lang; id[n] = "c" c; tx[n] = c " " heading_text(lang, 6)
        for (s = 1; s <= SECTIONS && (c - 1) * SECTIONS + s <= sections; s++) {
            kind[++n] = "S"; il[n] = lang; id[n] = "c" c "-" s; tx[n] = c "." s " " heading_text(lang, 5)
            total = 0
            k = 0
            while (total < PARA_CHARS) {
                p = next_para(lang)
                kind[++n] = "P"; il[n] = lang; tx[n] = p
                total += chars(p)
                if (++k == 2 && s % 2 == 0) {        # a bulleted list after the second paragraph
                    for (b = 1; b <= 4; b++) {
                        kind[++n] = "B"; il[n] = lang; tx[n] = next_phrase(lang, 9 + 4 * (b % 3)) "."
                    }
                    total += 400
                }
                if (k == 3 && s % 3 == 0) {          # a table after the third
                    kind[++n] = "H"; il[n] = lang
                    tx[n] = heading_text(lang, 2) "\t" heading_text(lang, 2) "\t" heading_text(lang, 2)
                    for (r = 1; r <= 4; r++) {
                        kind[++n] = "R"; il[n] = lang
                        tx[n] = next_phrase(lang, 3 + r % 3) "\t" next_phrase(lang, 6 + r % 4) "\t" next_phrase(lang, 2 + r % 2)
                    }
                    total += 500
                }
            }
        }
    }

    # the text for the bare program
    for (i = 1; i <= n; i++) {
        if (kind[i] == "C" || kind[i] == "S")
            printf "%s\t%s\t%s\t%s\n", kind[i], il[i], id[i], tx[i] > txt
        else
            printf "%s\t%s\t%s\n", kind[i], il[i], tx[i] > txt
    }

    # the XSL-FO
    printf "%s", fo_head() > fo
    printf "      <fo:block id=\"toc\" %s><fo:marker marker-class-name=\"chapter\">Contents</fo:marker>Contents</fo:block>\n", h1_attrs() > fo
    for (i = 1; i <= n; i++) {
        if (kind[i] == "C")
            printf "      <fo:block font-family=\"PT Sans\" font-weight=\"bold\" text-align=\"start\" text-align-last=\"justify\" hyphenate=\"false\" space-before=\"3mm\" keep-with-next.within-page=\"always\" language=\"%s\" xml:lang=\"%s\"><fo:basic-link internal-destination=\"%s\">%s</fo:basic-link> <fo:leader leader-pattern=\"dots\"/> <fo:page-number-citation ref-id=\"%s\"/></fo:block>\n", il[i], il[i], id[i], esc(tx[i]), id[i] > fo
        else if (kind[i] == "S")
            printf "      <fo:block start-indent=\"8mm\" text-align=\"start\" text-align-last=\"justify\" hyphenate=\"false\" space-before=\"1mm\" language=\"%s\" xml:lang=\"%s\"><fo:basic-link internal-destination=\"%s\">%s</fo:basic-link> <fo:leader leader-pattern=\"dots\"/> <fo:page-number-citation ref-id=\"%s\"/></fo:block>\n", il[i], il[i], id[i], esc(tx[i]), id[i] > fo
    }
    inlist = 0
    intable = 0
    for (i = 1; i <= n; i++) {
        k = kind[i]
        if (inlist && k != "B") {
            printf "        </fo:list-block>\n" > fo
            inlist = 0
        }
        if (intable && k != "R") {
            printf "          </fo:table-body>\n        </fo:table>\n" > fo
            intable = 0
        }
        if (k == "C") {
            if (i > 1)
                printf "      </fo:block>\n" > fo
            printf "      <fo:block break-before=\"page\" language=\"%s\" xml:lang=\"%s\">\n", il[i], il[i] > fo
            printf "        <fo:block id=\"%s\" %s><fo:marker marker-class-name=\"chapter\">%s</fo:marker>%s</fo:block>\n", id[i], h1_attrs(), esc(tx[i]), esc(tx[i]) > fo
        } else if (k == "S") {
            printf "        <fo:block id=\"%s\" font-family=\"PT Sans\" font-weight=\"bold\" font-size=\"15pt\" line-height=\"1.2\" color=\"#1B4F72\" text-align=\"start\" hyphenate=\"false\" keep-with-next.within-page=\"always\" space-before=\"5mm\" space-after=\"2mm\">%s</fo:block>\n", id[i], esc(tx[i]) > fo
        } else if (k == "P") {
            printf "        <fo:block space-after=\"0.55em\" text-align=\"justify\">%s</fo:block>\n", esc(tx[i]) > fo
        } else if (k == "B") {
            if (!inlist)
                printf "        <fo:list-block provisional-distance-between-starts=\"6mm\" provisional-label-separation=\"2mm\" space-after=\"0.55em\">\n" > fo
            inlist = 1
            printf "          <fo:list-item space-after=\"0.3em\"><fo:list-item-label end-indent=\"label-end()\"><fo:block color=\"#1B4F72\">\342\200\242</fo:block></fo:list-item-label><fo:list-item-body start-indent=\"body-start()\"><fo:block text-align=\"justify\">%s</fo:block></fo:list-item-body></fo:list-item>\n", esc(tx[i]) > fo
        } else if (k == "H") {
            printf "        <fo:table table-layout=\"fixed\" width=\"100%%\" font-size=\"9pt\" line-height=\"1.3\" space-before=\"1em\" space-after=\"1em\">\n" > fo
            printf "          <fo:table-column column-width=\"proportional-column-width(1)\"/>\n" > fo
            printf "          <fo:table-column column-width=\"proportional-column-width(1)\"/>\n" > fo
            printf "          <fo:table-column column-width=\"proportional-column-width(1)\"/>\n" > fo
            printf "          <fo:table-header>\n            <fo:table-row>\n" > fo
            m = split(tx[i], cell, "\t")
            for (j = 1; j <= m; j++)
                printf "              <fo:table-cell padding-left=\"1.5mm\" padding-right=\"1.5mm\" padding-top=\"1.2mm\" padding-bottom=\"1.2mm\" background-color=\"#EAF1F6\" border-bottom=\"0.8pt solid #1B4F72\"><fo:block font-family=\"PT Sans\" font-weight=\"bold\" color=\"#1B4F72\" text-align=\"start\" hyphenate=\"false\">%s</fo:block></fo:table-cell>\n", esc(cell[j]) > fo
            printf "            </fo:table-row>\n          </fo:table-header>\n          <fo:table-body>\n" > fo
            intable = 1
        } else if (k == "R") {
            printf "            <fo:table-row>\n" > fo
            m = split(tx[i], cell, "\t")
            for (j = 1; j <= m; j++)
                printf "              <fo:table-cell padding-left=\"1.5mm\" padding-right=\"1.5mm\" padding-top=\"1.2mm\" padding-bottom=\"1.2mm\" border-bottom=\"0.5pt solid #C8CDD2\"><fo:block text-align=\"start\">%s</fo:block></fo:table-cell>\n", esc(cell[j]) > fo
            printf "            </fo:table-row>\n" > fo
        }
    }
    if (inlist)
        printf "        </fo:list-block>\n" > fo
    if (intable)
        printf "          </fo:table-body>\n        </fo:table>\n" > fo
    printf "      </fo:block>\n    </fo:flow>\n  </fo:page-sequence>\n</fo:root>\n" > fo
    close(fo)
    close(txt)
    printf "book.awk: %s: %d chapters, %d sections, %d items\n", fo, chapters, sections, n > "/dev/stderr"
}
