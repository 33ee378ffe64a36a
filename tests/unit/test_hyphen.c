/* Unit tests of src/format/hyphen.c against the system dictionaries (hyphen-fr, -ru, -bg, -de,
 * -en-us in /usr/share/hyphen), and of its prepared dictionaries: those of the build
 * (out/hyphen beside out/tests), private ones, and the user's cache (a temporary
 * XDG_CACHE_HOME for the whole run).
 *
 * Expected strings show a '-' (or the marker given) before every byte the module marks.  They
 * were checked against libhyphen itself, called directly with each word lower-cased and in
 * the dictionary's own encoding (UTF-8 for fr, bg, en; KOI8-R for ru; ISO8859-1 for de),
 * then filtered by the push/remain counts by hand. */
#include "format/hyphenate.h"

#include <check.h>
#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

/* The word with `mark` inserted before each point; also checks the return value counts the
 * points and that points are only 0 or 1. */
static char *marked(wb_hyphenator *h, const char *lang, const char *word, int push,
                    int remain, char mark)
{
    size_t n = strlen(word);
    char *pts = malloc(n + 1);
    ck_assert_ptr_nonnull(pts);
    memset(pts, 7, n + 1); /* garbage the module must overwrite, and a guard byte */
    int c = wb_hyphenate(h, lang, word, n, push, remain, pts);
    ck_assert_int_eq(pts[n], 7);
    char *out = malloc(2 * n + 1);
    ck_assert_ptr_nonnull(out);
    size_t j = 0;
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(pts[i] == 0 || pts[i] == 1, "points[%zu] = %d", i, pts[i]);
        if (pts[i]) {
            out[j++] = mark;
            seen++;
        }
        out[j++] = word[i];
    }
    out[j] = '\0';
    ck_assert_int_eq(c, seen);
    free(pts);
    return out;
}

#define CHECK_HYPH(h, lang, word, push, remain, expected)                                     \
    do {                                                                                       \
        char *got_ = marked((h), (lang), (word), (push), (remain), '-');                       \
        ck_assert_str_eq(got_, (expected));                                                    \
        free(got_);                                                                            \
    } while (0)

/* For words that already hold hyphens, where '-' as the marker would be hard to read. */
#define CHECK_BAR(h, lang, word, push, remain, expected)                                      \
    do {                                                                                       \
        char *got_ = marked((h), (lang), (word), (push), (remain), '|');                       \
        ck_assert_str_eq(got_, (expected));                                                    \
        free(got_);                                                                            \
    } while (0)

static wb_hyphenator *sys(void)
{
    wb_hyphenator *h = wb_hyphenator_new("/usr/share/hyphen");
    ck_assert_ptr_nonnull(h);
    return h;
}

START_TEST(test_french)
{
    wb_hyphenator *h = sys();
    CHECK_HYPH(h, "fr", "développement", 2, 2, "dé-ve-lop-pe-ment");
    CHECK_HYPH(h, "fr", "relation", 2, 2, "re-la-tion");
    CHECK_HYPH(h, "fr", "entreprise", 2, 2, "en-tre-prise");
    CHECK_HYPH(h, "fr", "économie", 2, 2, "éco-no-mie");
    /* Region variants resolve to the same dictionary. */
    CHECK_HYPH(h, "fr-CA", "relation", 2, 2, "re-la-tion");
    CHECK_HYPH(h, "FR_be", "relation", 2, 2, "re-la-tion");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_french_apostrophes)
{
    wb_hyphenator *h = sys();
    /* Each part is a word of its own: no break right after the apostrophe. */
    CHECK_HYPH(h, "fr", "l’entreprise", 2, 2, "l’en-tre-prise");
    CHECK_HYPH(h, "fr", "l'entreprise", 2, 2, "l'en-tre-prise");
    CHECK_HYPH(h, "fr", "l’économie", 2, 2, "l’éco-no-mie");
    CHECK_HYPH(h, "fr", "aujourd’hui", 2, 2, "au-jourd’hui");
    CHECK_HYPH(h, "fr", "d’", 2, 2, "d’");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_russian_koi8)
{
    wb_hyphenator *h = sys();
    /* hyph_ru_RU.dic is KOI8-R: the words go through iconv and the offsets come back as
     * UTF-8 (2 bytes per letter here). */
    CHECK_HYPH(h, "ru", "ответственность", 2, 2, "от-вет-ствен-ность");
    /* Debian's Russian patterns are not closed under substrings (libhyphen's substrings.pl
     * step): the closure the hyphenator makes gives what Liang's algorithm gives */
    CHECK_HYPH(h, "ru", "клиентами", 2, 2, "кли-ен-та-ми");
    CHECK_HYPH(h, "ru", "выслушайте", 2, 2, "вы-слу-шай-те");
    CHECK_HYPH(h, "ru", "доброжелательность", 2, 2, "доб-ро-же-ла-тель-ность");
    CHECK_HYPH(h, "ru-RU", "клиентами", 2, 2, "кли-ен-та-ми");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_bulgarian)
{
    wb_hyphenator *h = sys();
    CHECK_HYPH(h, "bg", "отношения", 2, 2, "от-но-ше-ния");
    CHECK_HYPH(h, "bg", "купувачите", 2, 2, "ку-пу-ва-чи-те");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_german_latin1)
{
    wb_hyphenator *h = sys();
    /* hyph_de_DE.dic is ISO8859-1; ö and ß are 2 bytes in UTF-8 but 1 in the dictionary.
     * de-AT and de-CH are symbolic links to it: loaded once. */
    CHECK_HYPH(h, "de", "Kundenbeziehung", 2, 2, "Kun-den-be-zie-hung");
    CHECK_HYPH(h, "de", "Größenordnung", 2, 2, "Grö-ßen-ord-nung");
    CHECK_HYPH(h, "de-AT", "Straße", 2, 2, "Stra-ße");
    CHECK_HYPH(h, "de", "Öl", 1, 1, "Öl");
    ck_assert(wb_hyphenator_has(h, "de-CH"));
    /* Not in ISO8859-1: the word is left alone rather than mangled. */
    CHECK_HYPH(h, "de", "Œuvre", 2, 2, "Œuvre");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_english)
{
    wb_hyphenator *h = sys();
    CHECK_HYPH(h, "en", "relationship", 2, 2, "re-la-tion-ship");
    CHECK_HYPH(h, "en-GB", "relationship", 2, 2, "re-la-tion-ship");
    CHECK_HYPH(h, "EN_us", "hyphenation", 2, 2, "hy-phen-ation");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_case)
{
    wb_hyphenator *h = sys();
    /* Raw libhyphen finds nothing in upper case; the original text is kept. */
    CHECK_HYPH(h, "ru", "Клиентами", 2, 2, "Кли-ен-та-ми");
    CHECK_HYPH(h, "ru", "КЛИЕНТАМИ", 2, 2, "КЛИ-ЕН-ТА-МИ");
    CHECK_HYPH(h, "ru", "ОТВЕТСТВЕННОСТЬ", 2, 2, "ОТ-ВЕТ-СТВЕН-НОСТЬ");
    CHECK_HYPH(h, "bg", "КУПУВАЧИТЕ", 2, 2, "КУ-ПУ-ВА-ЧИ-ТЕ");
    CHECK_HYPH(h, "fr", "DÉVELOPPEMENT", 2, 2, "DÉ-VE-LOP-PE-MENT");
    CHECK_HYPH(h, "fr", "Développement", 2, 2, "Dé-ve-lop-pe-ment");
    CHECK_HYPH(h, "en", "RELATIONSHIP", 2, 2, "RE-LA-TION-SHIP");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_push_remain)
{
    wb_hyphenator *h = sys();
    /* push: characters after the break ("pe-ment" leaves 4 < 5). */
    CHECK_HYPH(h, "fr", "développement", 5, 2, "dé-ve-lop-pement");
    /* remain: characters before the break, counted in characters: "dé" is 2, not 3 bytes. */
    CHECK_HYPH(h, "fr", "développement", 2, 3, "déve-lop-pe-ment");
    CHECK_HYPH(h, "en", "relationship", 5, 3, "rela-tionship");
    /* от|вет|ствен|ность: "от" is too short before, "ность" too short after. */
    CHECK_HYPH(h, "ru", "ответственность", 6, 3, "ответ-ственность");
    /* The Russian dictionary sets no minimum of its own, so remain 1 is honoured... */
    CHECK_HYPH(h, "ru", "обед", 2, 1, "о-бед");
    CHECK_HYPH(h, "ru", "обед", 2, 2, "обед");
    /* ...the French one says LEFTHYPHENMIN 2, a floor under the caller's values. */
    CHECK_HYPH(h, "fr", "développement", 1, 1, "dé-ve-lop-pe-ment");
    /* Values below 1 count as 1. */
    CHECK_HYPH(h, "ru", "обед", 0, -5, "о-бед");
    /* Counts larger than the word leave nothing. */
    CHECK_HYPH(h, "fr", "relation", 100, INT_MAX, "relation");
    /* Combining marks are not characters of their own: é written e + U+0301 counts once,
     * and no break falls between a letter and its mark. */
    CHECK_HYPH(h, "fr", "de\xcc\x81veloppement", 2, 2, "de\xcc\x81-ve-lop-pe-ment");
    CHECK_HYPH(h, "fr", "de\xcc\x81veloppement", 2, 3, "de\xcc\x81ve-lop-pe-ment");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_short_words)
{
    wb_hyphenator *h = sys();
    const char *words[][2] = { { "fr", "ab" }, { "ru", "на" }, { "bg", "до" },
                               { "en", "is" }, { "fr", "où" }, { "fr", "a" } };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char *got = marked(h, words[i][0], words[i][1], 1, 1, '-');
        ck_assert_str_eq(got, words[i][1]);
        free(got);
    }
    char pts[1] = { 7 };
    ck_assert_int_eq(wb_hyphenate(h, "fr", "", 0, 2, 2, pts), 0);
    ck_assert_int_eq(pts[0], 7); /* nothing written for an empty word */
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_unknown_language)
{
    wb_hyphenator *h = sys();
    const char *langs[] = { "xx", "", "x-klingon", "i-default", "f", "../fr", "fr/../fr",
                            "qaa-FR" };
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        char pts[8];
        memset(pts, 7, sizeof pts);
        ck_assert_msg(!wb_hyphenator_has(h, langs[i]), "has(%s)", langs[i]);
        ck_assert_int_eq(wb_hyphenate(h, langs[i], "relation", 8, 2, 2, pts), -1);
        for (size_t j = 0; j < 8; j++)
            ck_assert_int_eq(pts[j], 0);
        /* Asked twice: the remembered failure answers the same. */
        ck_assert_int_eq(wb_hyphenate(h, langs[i], "relation", 8, 2, 2, pts), -1);
    }
    /* (German is checked in its own test.) */
    const char *known[] = { "fr", "fr-CA", "FR-fr", "fr_CH", "ru", "ru-RU", "bg", "bg-BG",
                            "en", "en-GB", "en-Latn-US", "EN" };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ck_assert_msg(wb_hyphenator_has(h, known[i]), "has(%s)", known[i]);
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_digits_and_hyphens)
{
    wb_hyphenator *h = sys();
    /* Digits: no dictionary breaks at all. */
    CHECK_BAR(h, "fr", "2e", 2, 2, "2e");
    CHECK_BAR(h, "fr", "relation2", 2, 2, "relation2");
    CHECK_BAR(h, "en", "relationship1990", 2, 2, "relationship1990");
    /* Existing hyphens: only the breaks after them, none inside the parts. */
    CHECK_BAR(h, "fr", "e-mail", 2, 2, "e-|mail");
    CHECK_BAR(h, "fr", "sous-développement", 2, 2, "sous-|développement");
    CHECK_BAR(h, "en", "COVID-19", 2, 2, "COVID-|19");
    CHECK_BAR(h, "ru", "из-за", 2, 2, "из-|за");
    CHECK_BAR(h, "fr", "Saint-Jean-de-Luz", 2, 2, "Saint-|Jean-|de-|Luz");
    /* U+2010 HYPHEN and U+00AD SOFT HYPHEN too; the soft hyphen is the author's own break. */
    CHECK_BAR(h, "en", "self\xe2\x80\x90service", 2, 2, "self\xe2\x80\x90|service");
    CHECK_BAR(h, "fr", "déve\xc2\xadloppement", 2, 2, "déve\xc2\xad|loppement");
    /* push/remain hold there as well ("x-" is 2 characters, "y" only 1). */
    CHECK_BAR(h, "fr", "x-y", 2, 2, "x-y");
    CHECK_BAR(h, "fr", "x-yz", 2, 2, "x-|yz");
    CHECK_BAR(h, "fr", "x-yz", 3, 2, "x-yz");
    CHECK_BAR(h, "fr", "e-mail", 2, 3, "e-mail");
    /* No break between two hyphens nor after a trailing one. */
    CHECK_BAR(h, "fr", "ab--cd", 2, 2, "ab--|cd");
    CHECK_BAR(h, "fr", "pré-", 2, 2, "pré-");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_punctuation)
{
    wb_hyphenator *h = sys();
    CHECK_HYPH(h, "fr", "«relation»,", 2, 2, "«re-la-tion»,");
    CHECK_HYPH(h, "ru", "«клиентами».", 2, 2, "«кли-ен-та-ми».");
    CHECK_HYPH(h, "en", "(relationship)", 2, 2, "(re-la-tion-ship)");
    /* Counts apply to the word, not its punctuation: "(ab" would not make a 3-letter word. */
    CHECK_HYPH(h, "ru", "(обед)", 2, 1, "(о-бед)");
    CHECK_HYPH(h, "fr", "…", 2, 2, "…");
    wb_hyphenator_free(h);
}
END_TEST

START_TEST(test_bad_input)
{
    wb_hyphenator *h = sys();
    char pts[16];
    memset(pts, 7, sizeof pts);
    /* Invalid UTF-8: no points, but it is not a missing dictionary. */
    ck_assert_int_eq(wb_hyphenate(h, "fr", "re\xfflation", 9, 2, 2, pts), 0);
    for (size_t j = 0; j < 9; j++)
        ck_assert_int_eq(pts[j], 0);
    ck_assert_int_eq(wb_hyphenate(h, "fr", "rel\0ation", 9, 2, 2, pts), 0);
    /* Truncated in the middle of "é": not valid either. */
    ck_assert_int_eq(wb_hyphenate(h, "fr", "dé", 2, 1, 1, pts), 0);
    /* Only word_len bytes are read: "relation" cut to "rela". */
    memset(pts, 7, sizeof pts);
    ck_assert_int_eq(wb_hyphenate(h, "fr", "relation", 4, 2, 2, pts), 1);
    ck_assert_int_eq(pts[0], 0);
    ck_assert_int_eq(pts[2], 1);
    ck_assert_int_eq(pts[4], 7);
    ck_assert_int_eq(wb_hyphenate(NULL, "fr", "relation", 8, 2, 2, pts), -1);
    ck_assert_int_eq(wb_hyphenate(h, NULL, "relation", 8, 2, 2, pts), -1);
    ck_assert_int_eq(wb_hyphenate(h, "fr", NULL, 8, 2, 2, pts), -1);
    ck_assert_int_eq(wb_hyphenate(h, "fr", "relation", 8, 2, 2, NULL), -1);
    ck_assert(!wb_hyphenator_has(NULL, "fr"));
    ck_assert(!wb_hyphenator_has(h, NULL));
    wb_hyphenator_free(h);
    wb_hyphenator_free(NULL);
}
END_TEST

/* A private dictionary directory, to test dict_dir, WB_HYPHEN_DIR and the conversion path
 * with a pattern set small enough to reason about completely. */
static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/wb-hyphen-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    /* ISO8859-1: "\xe9" is é.  Breaks after every é, and before every t. */
    write_file("hyph_zz.dic", "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n\xe9" "1\n1t\n");
    /* UTF-8 with region: breaks after every ы. */
    write_file("hyph_zz_QQ.dic", "UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\nы1\n");
}

static void remove_tmpdir(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/hyph_zz.dic", tmpdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/hyph_zz_QQ.dic", tmpdir);
    unlink(path);
    rmdir(tmpdir);
}

START_TEST(test_private_dir)
{
    make_tmpdir();
    wb_hyphenator *h = wb_hyphenator_new(tmpdir);
    ck_assert_ptr_nonnull(h);
    ck_assert(!wb_hyphenator_has(h, "fr"));
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    CHECK_HYPH(h, "zz", "ÉtÉ", 1, 1, "É-tÉ");
    CHECK_HYPH(h, "zz-XX", "ata", 1, 1, "a-ta");
    CHECK_HYPH(h, "zz", "ata", 1, 2, "ata");
    /* ŝ has no ISO8859-1 byte: the word is not hyphenated at all. */
    CHECK_HYPH(h, "zz", "ataŝ", 1, 1, "ataŝ");
    /* zz-QQ finds the region's own file first. */
    CHECK_HYPH(h, "zz-qq", "мыты", 1, 1, "мы-ты");
    CHECK_HYPH(h, "zz-QQ", "ata", 1, 1, "ata");
    wb_hyphenator_free(h);

    /* WB_HYPHEN_DIR replaces the default directory, not an explicit one. */
    ck_assert_int_eq(setenv("WB_HYPHEN_DIR", tmpdir, 1), 0);
    h = wb_hyphenator_new(NULL);
    ck_assert(wb_hyphenator_has(h, "zz"));
    ck_assert(!wb_hyphenator_has(h, "fr"));
    wb_hyphenator_free(h);
    h = wb_hyphenator_new("/usr/share/hyphen");
    ck_assert(!wb_hyphenator_has(h, "zz"));
    ck_assert(wb_hyphenator_has(h, "fr"));
    wb_hyphenator_free(h);
    ck_assert_int_eq(unsetenv("WB_HYPHEN_DIR"), 0);
    h = wb_hyphenator_new(NULL);
    ck_assert(wb_hyphenator_has(h, "fr"));
    wb_hyphenator_free(h);

    /* A missing directory is simply "no dictionary". */
    h = wb_hyphenator_new("/nonexistent/wb-hyphen");
    ck_assert(!wb_hyphenator_has(h, "fr"));
    wb_hyphenator_free(h);
    remove_tmpdir();
}
END_TEST

/* ---- prepared dictionaries ---- */

static void rm_tree(const char *dir)
{
    char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    g_free(cmd);
}

static char *file_in(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    ck_assert_msg(g_file_set_contents(path, text, -1, NULL), "cannot write %s", path);
    return path;
}

static char *hash_of(const char *path)
{
    char *text = NULL;
    gsize len = 0;
    ck_assert(g_file_get_contents(path, &text, &len, NULL));
    char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
    g_free(text);
    return hash;
}

/* Entries of a folder (0 when it does not exist). */
static int count_files(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    int n = 0;
    if (d) {
        while (g_dir_read_name(d))
            n++;
        g_dir_close(d);
    }
    return n;
}

/* The build's own folder of prepared dictionaries: out/hyphen beside out/tests. */
static char *build_prepared(void)
{
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    ck_assert_ptr_nonnull(exe);
    char *bin = g_path_get_dirname(exe);
    char *dir = g_build_filename(bin, "..", "hyphen", NULL);
    g_free(bin);
    g_free(exe);
    return dir;
}

/* The prepared dictionaries the build made (make writes out/hyphen, or out/asan/hyphen for
 * the sanitizer build) are found by default, match the system's and load at once. */
START_TEST(test_prepared_by_build)
{
    char *dir = build_prepared();
    const char *files[] = { "hyph_fr.dic", "hyph_ru_RU.dic", "hyph_bg_BG.dic", "hyph_en_US.dic",
                            "hyph_de_DE.dic" };
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *path = g_build_filename(dir, files[i], NULL);
        ck_assert_msg(g_file_test(path, G_FILE_TEST_IS_REGULAR), "%s missing: run make", path);
        g_free(path);
    }
    g_free(dir);
    wb_hyphenator *h = wb_hyphenator_new("/usr/share/hyphen");
    const char *langs[] = { "fr", "ru", "bg", "en", "de", "de-CH" };
    gint64 start = g_get_monotonic_time();
    for (size_t i = 0; i < G_N_ELEMENTS(langs); i++)
        ck_assert_msg(wb_hyphenator_origin(h, langs[i]) == WB_HYPH_PREPARED, "%s: origin %d",
                      langs[i], wb_hyphenator_origin(h, langs[i]));
    gint64 took = g_get_monotonic_time() - start;
    /* closing and loading the German patterns takes seconds; the prepared ones, milliseconds
     * (a wide margin for sanitizers and a busy machine) */
    ck_assert_msg(took < 2 * G_USEC_PER_SEC, "five prepared dictionaries took %lld us",
                  (long long)took);
    CHECK_HYPH(h, "de", "Kundenbeziehung", 2, 2, "Kun-den-be-zie-hung");
    CHECK_HYPH(h, "ru", "выслушайте", 2, 2, "вы-слу-шай-те");
    /* nothing went to the cache */
    char *hash = hash_of("/usr/share/hyphen/hyph_de_DE.dic");
    char *name = g_strconcat(hash, ".dic", NULL);
    char *entry = g_build_filename(g_get_user_cache_dir(), "workbook", "hyphen", name, NULL);
    ck_assert(!g_file_test(entry, G_FILE_TEST_EXISTS));
    g_free(entry);
    g_free(name);
    g_free(hash);
    ck_assert_int_eq(wb_hyphenator_origin(h, "xx"), WB_HYPH_NONE);
    ck_assert_int_eq(wb_hyphenator_origin(NULL, "fr"), WB_HYPH_NONE);
    ck_assert_int_eq(wb_hyphenator_origin(h, NULL), WB_HYPH_NONE);
    wb_hyphenator_free(h);
}
END_TEST

/* A prepared dictionary is used when the hash it records is that of the dictionary, and
 * only then. */
START_TEST(test_prepared_hash)
{
    char *src = wb_test_tmpdir(), *other = wb_test_tmpdir(), *prep = wb_test_tmpdir();
    /* Breaks after every é (and before t); the other dictionary after every a. */
    char *zz = file_in(src, "hyph_zz.dic",
                       "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n\xe9" "1\n1t\n");
    char *alt = file_in(other, "hyph_zz.dic", "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\na1\n");
    char *prepared = g_build_filename(prep, "hyph_zz.dic", NULL);
    char *error = NULL;

    /* Made from the dictionary itself: used. */
    ck_assert(wb_hyphen_prepare(zz, prepared, &error));
    wb_hyphenator *h = wb_hyphenator_new_with(src, prep, "");
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_PREPARED);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    CHECK_HYPH(h, "zz", "ata", 1, 1, "a-ta");
    wb_hyphenator_free(h);

    /* Made from another one: stale, ignored, the dictionary is prepared now. */
    ck_assert(wb_hyphen_prepare(alt, prepared, &error));
    h = wb_hyphenator_new_with(src, prep, "");
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    wb_hyphenator_free(h);

    /* The same file with the dictionary's hash written in: its patterns are the ones used
     * (no break after é, one after a), which shows the file is really read. */
    char *text = NULL;
    gsize len = 0;
    ck_assert(g_file_get_contents(prepared, &text, &len, NULL));
    char *alt_hash = hash_of(alt), *zz_hash = hash_of(zz);
    char *at = g_strstr_len(text, 100, alt_hash);
    ck_assert_ptr_nonnull(at);
    memcpy(at, zz_hash, strlen(zz_hash));
    ck_assert(g_file_set_contents(prepared, text, (gssize)len, NULL));
    h = wb_hyphenator_new_with(src, prep, "");
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_PREPARED);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "ééé");
    CHECK_HYPH(h, "zz", "ata", 1, 1, "a-ta");
    wb_hyphenator_free(h);

    /* Damaged (cut short, a byte changed): ignored. */
    ck_assert(g_file_set_contents(prepared, text, (gssize)(len - 3), NULL));
    h = wb_hyphenator_new_with(src, prep, "");
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    wb_hyphenator_free(h);
    for (gsize i = 0; i < len; i++) {
        char *bad = g_memdup2(text, len);
        bad[i] ^= 0x55;
        ck_assert(g_file_set_contents(prepared, bad, (gssize)len, NULL));
        h = wb_hyphenator_new_with(src, prep, "");
        /* whatever the change, the dictionary loads (prepared or closed again) and a word
         * is answered without looping or reading astray */
        ck_assert(wb_hyphenator_has(h, "zz"));
        free(marked(h, "zz", "ééé", 1, 1, '-'));
        wb_hyphenator_free(h);
        g_free(bad);
    }
    /* Not a prepared dictionary at all (the source itself): ignored. */
    g_free(file_in(prep, "hyph_zz.dic", "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\na1\n"));
    h = wb_hyphenator_new_with(src, prep, "");
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    wb_hyphenator_free(h);

    /* A source that cannot be prepared, a folder that cannot be made: errors, no crash. */
    ck_assert(!wb_hyphen_prepare("/nonexistent/hyph_zz.dic", prepared, &error));
    ck_assert_ptr_nonnull(error);
    g_free(error);
    error = NULL;
    char *blocked = g_build_filename(zz, "sub", "hyph_zz.dic", NULL);
    ck_assert(!wb_hyphen_prepare(zz, blocked, &error));
    ck_assert_ptr_nonnull(error);
    g_free(error);
    ck_assert(!wb_hyphen_prepare(zz, blocked, NULL));
    g_free(blocked);

    g_free(text);
    g_free(alt_hash);
    g_free(zz_hash);
    g_free(prepared);
    g_free(alt);
    g_free(zz);
    rm_tree(src);
    rm_tree(other);
    rm_tree(prep);
    free(src);
    free(other);
    free(prep);
}
END_TEST

/* Without a prepared dictionary the one made at the first run is cached by the source's hash
 * and used at the next. */
START_TEST(test_cache)
{
    char *src = wb_test_tmpdir(), *tmp = wb_test_tmpdir();
    char *zz = file_in(src, "hyph_zz.dic",
                       "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n\xe9" "1\n1t\n");
    /* a folder made when needed */
    char *cache = g_build_filename(tmp, "a", "cache", NULL);
    wb_hyphenator *h = wb_hyphenator_new_with(src, "", cache);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    wb_hyphenator_free(h);
    char *hash = hash_of(zz);
    char *name = g_strconcat(hash, ".dic", NULL);
    char *entry = g_build_filename(cache, name, NULL);
    ck_assert_msg(g_file_test(entry, G_FILE_TEST_IS_REGULAR), "%s missing", entry);
    ck_assert_int_eq(count_files(cache), 1); /* no temporary file left */

    h = wb_hyphenator_new_with(src, "", cache);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CACHED);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    CHECK_HYPH(h, "zz", "ata", 1, 1, "a-ta");
    wb_hyphenator_free(h);

    /* The cache also stands in for a stale prepared dictionary. */
    char *prep = wb_test_tmpdir();
    char *alt = file_in(tmp, "hyph_zz.dic", "ISO8859-1\na1\n");
    char *stale = g_build_filename(prep, "hyph_zz.dic", NULL);
    ck_assert(wb_hyphen_prepare(alt, stale, NULL));
    h = wb_hyphenator_new_with(src, prep, cache);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CACHED);
    wb_hyphenator_free(h);

    /* A changed dictionary has another hash: prepared again, cached beside. */
    g_free(file_in(src, "hyph_zz.dic", "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\nt1\n"));
    h = wb_hyphenator_new_with(src, "", cache);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    CHECK_HYPH(h, "zz", "ata", 1, 1, "at-a");
    wb_hyphenator_free(h);
    ck_assert_int_eq(count_files(cache), 2);

    /* By default the cache is the user's: $XDG_CACHE_HOME/workbook/hyphen. */
    h = wb_hyphenator_new(src);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    wb_hyphenator_free(h);
    char *zz_hash = hash_of(zz);
    char *zz_name = g_strconcat(zz_hash, ".dic", NULL);
    char *user = g_build_filename(getenv("XDG_CACHE_HOME"), "workbook", "hyphen", zz_name, NULL);
    ck_assert_msg(g_file_test(user, G_FILE_TEST_IS_REGULAR), "%s missing", user);
    h = wb_hyphenator_new(src);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CACHED);
    wb_hyphenator_free(h);
    g_free(user);
    g_free(zz_name);
    g_free(zz_hash);

    /* A damaged cache entry is made again. */
    ck_assert(g_file_set_contents(entry, "wb-hyphen", -1, NULL));
    g_free(file_in(src, "hyph_zz.dic",
                   "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n\xe9" "1\n1t\n"));
    h = wb_hyphenator_new_with(src, "", cache);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    wb_hyphenator_free(h);
    h = wb_hyphenator_new_with(src, "", cache);
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CACHED);
    wb_hyphenator_free(h);

    g_free(stale);
    g_free(alt);
    g_free(entry);
    g_free(name);
    g_free(hash);
    g_free(cache);
    g_free(zz);
    rm_tree(src);
    rm_tree(tmp);
    rm_tree(prep);
    free(src);
    free(tmp);
    free(prep);
}
END_TEST

/* A cache that cannot be written is no failure: the dictionary is prepared in memory each
 * time. */
START_TEST(test_cache_unwritable)
{
    char *src = wb_test_tmpdir();
    char *zz = file_in(src, "hyph_zz.dic",
                       "ISO8859-1\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n\xe9" "1\n1t\n");
    /* below a plain file: no folder can be made there, even by root */
    char *cache = g_build_filename(zz, "cache", NULL);
    for (int run = 0; run < 2; run++) {
        wb_hyphenator *h = wb_hyphenator_new_with(src, "", cache);
        ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
        CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
        wb_hyphenator_free(h);
    }
    /* a cache folder that is a file */
    wb_hyphenator *h = wb_hyphenator_new_with(src, "", zz);
    CHECK_HYPH(h, "zz", "ééé", 1, 1, "é-é-é");
    wb_hyphenator_free(h);
    /* no cache at all, no prepared folder */
    h = wb_hyphenator_new_with(src, "", "");
    ck_assert_int_eq(wb_hyphenator_origin(h, "zz"), WB_HYPH_CLOSED);
    wb_hyphenator_free(h);
    ck_assert_int_eq(count_files(src), 1);
    g_free(cache);
    g_free(zz);
    rm_tree(src);
    free(src);
}
END_TEST

/* The system dictionaries give the same break points prepared by the build, prepared in
 * memory and read from the cache; the cache holds exactly what the build prepared. */
START_TEST(test_same_everywhere)
{
    static const char *const words[][2] = {
        { "ru", "ответственность" }, { "ru", "клиентами" }, { "ru", "выслушайте" },
        { "ru", "доброжелательность" }, { "ru", "переработка" }, { "ru", "Сотрудничество" },
        { "ru", "достопримечательность" }, { "ru", "обед" },
        { "de", "Kundenbeziehung" }, { "de", "Größenordnung" }, { "de", "Straße" },
        { "de", "Donaudampfschifffahrt" }, { "de", "Verantwortungsbewusstsein" },
        { "de", "Zusammenarbeit" }, { "de", "Geschäftsbeziehungen" },
        { "de", "Änderungswunsch" }, { "de", "widerspruchslos" }, { "de", "Rückrufe" },
        { "fr", "développement" }, { "fr", "anticonstitutionnellement" },
        { "fr", "relation" }, { "fr", "l’entreprise" }, { "fr", "économie" },
        { "en", "hyphenation" }, { "en", "relationship" }, { "en", "responsibility" },
        { "en", "internationalization" }, { "en", "characteristically" },
        { "bg", "отношения" }, { "bg", "купувачите" }, { "bg", "благодарност" },
        { "bg", "представителство" },
    };
    const char *langs[] = { "ru", "de", "fr", "en", "bg" };
    char *tmp = wb_test_tmpdir();
    char *cache = g_build_filename(tmp, "cache", NULL);
    wb_hyphenator *prepared = wb_hyphenator_new_with("/usr/share/hyphen", NULL, "");
    wb_hyphenator *closed = wb_hyphenator_new_with("/usr/share/hyphen", "", cache);
    for (size_t i = 0; i < G_N_ELEMENTS(langs); i++) {
        ck_assert_int_eq(wb_hyphenator_origin(prepared, langs[i]), WB_HYPH_PREPARED);
        ck_assert_int_eq(wb_hyphenator_origin(closed, langs[i]), WB_HYPH_CLOSED);
    }
    wb_hyphenator *cached = wb_hyphenator_new_with("/usr/share/hyphen", "", cache);
    for (size_t i = 0; i < G_N_ELEMENTS(langs); i++)
        ck_assert_int_eq(wb_hyphenator_origin(cached, langs[i]), WB_HYPH_CACHED);
    int points = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
        for (int push = 1; push <= 3; push++) {
            char *a = marked(prepared, words[i][0], words[i][1], push, 2, '-');
            char *b = marked(closed, words[i][0], words[i][1], push, 2, '-');
            char *c = marked(cached, words[i][0], words[i][1], push, 2, '-');
            ck_assert_str_eq(a, b);
            ck_assert_str_eq(a, c);
            points += (int)(strlen(a) - strlen(words[i][1]));
            free(a);
            free(b);
            free(c);
        }
    }
    ck_assert_int_ge(points, 5 * (int)G_N_ELEMENTS(words)); /* not a vacuous comparison */
    wb_hyphenator_free(prepared);
    wb_hyphenator_free(closed);
    wb_hyphenator_free(cached);

    /* the cache holds what the build prepared, byte for byte */
    char *dir = build_prepared();
    const char *files[] = { "hyph_ru_RU.dic", "hyph_de_DE.dic", "hyph_fr.dic", "hyph_en_US.dic",
                            "hyph_bg_BG.dic" };
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *source = g_build_filename("/usr/share/hyphen", files[i], NULL);
        char *hash = hash_of(source);
        char *name = g_strconcat(hash, ".dic", NULL);
        char *entry = g_build_filename(cache, name, NULL);
        char *built = g_build_filename(dir, files[i], NULL);
        char *x = NULL, *y = NULL;
        gsize xl = 0, yl = 0;
        ck_assert(g_file_get_contents(entry, &x, &xl, NULL));
        ck_assert(g_file_get_contents(built, &y, &yl, NULL));
        ck_assert_msg(xl == yl && memcmp(x, y, xl) == 0, "%s differs from %s", entry, built);
        g_free(x);
        g_free(y);
        g_free(built);
        g_free(entry);
        g_free(name);
        g_free(hash);
        g_free(source);
    }
    ck_assert_int_eq(count_files(cache), (int)G_N_ELEMENTS(files));
    g_free(dir);
    g_free(cache);
    rm_tree(tmp);
    free(tmp);
}
END_TEST

static Suite *hyphen_suite(void)
{
    Suite *s = suite_create("hyphen");
    TCase *tc = tcase_create("core");
    /* Preparing hyph_de_DE.dic in memory (test_same_everywhere) takes seconds, more than
     * check's 4 s default under sanitizers.
     * A CK_DEFAULT_TIMEOUT given by the test runner wins. */
    if (!getenv("CK_DEFAULT_TIMEOUT"))
        tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_french);
    tcase_add_test(tc, test_french_apostrophes);
    tcase_add_test(tc, test_russian_koi8);
    tcase_add_test(tc, test_bulgarian);
    tcase_add_test(tc, test_german_latin1);
    tcase_add_test(tc, test_english);
    tcase_add_test(tc, test_case);
    tcase_add_test(tc, test_push_remain);
    tcase_add_test(tc, test_short_words);
    tcase_add_test(tc, test_unknown_language);
    tcase_add_test(tc, test_digits_and_hyphens);
    tcase_add_test(tc, test_punctuation);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_private_dir);
    tcase_add_test(tc, test_prepared_by_build);
    tcase_add_test(tc, test_prepared_hash);
    tcase_add_test(tc, test_cache);
    tcase_add_test(tc, test_cache_unwritable);
    tcase_add_test(tc, test_same_everywhere);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* The user's cache is a folder of this run, removed at the end. */
    char *cache = wb_test_tmpdir();
    setenv("XDG_CACHE_HOME", cache, 1);
    int failed = wb_test_run_suite(hyphen_suite());
    char *cmd = g_strdup_printf("rm -rf '%s'", cache);
    if (system(cmd) != 0)
        failed++;
    g_free(cmd);
    free(cache);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
