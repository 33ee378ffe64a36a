/* The command line's conventions, held to the program's own usage text so that they cannot
 * drift from it:
 *
 * - the man page doc/workbook.1 names every command of `workbook --help`, every option of
 *   `workbook COMMAND --help` and every limit variable;
 * - the bash completion (tools/workbook.bash-completion) offers the commands, exactly the
 *   options of each command's usage, the editions the program knows, the languages of the
 *   course at hand and the brands (styles/brands.xml and a brand.xml beside the course);
 * - `make install DESTDIR=...` installs both, and `make uninstall` removes them. */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"

static char *tmp;

static void setup(void) { tmp = wb_test_tmpdir(); }

static void teardown(void)
{
    wb_test_rmtree(tmp);
    free(tmp);
}

/* The output of a command (standard output and error); *status its exit status. */
static char *output(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *output(int *status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *out = NULL;
    int rc = wb_test_run(cmd, &out, true);
    if (status)
        *status = rc;
    else
        ck_assert_msg(rc == 0, "command failed (%d): %s\n%s", rc, cmd, out ? out : "");
    g_free(cmd);
    return out ? out : strdup("");
}

/* The commands of `workbook --help`: the first word of each line of its "Commands:" part. */
static GPtrArray *commands(void)
{
    char *help = output(NULL, "'%s' --help", wb_test_bin());
    GPtrArray *cmds = g_ptr_array_new_with_free_func(g_free);
    const char *p = strstr(help, "Commands:\n");
    ck_assert_ptr_nonnull(p);
    for (p = strchr(p, '\n') + 1; *p == ' '; p = strchr(p, '\n') + 1) {
        const char *w = p + strspn(p, " ");
        size_t n = strcspn(w, " \n");
        /* a continuation line is indented further than a command */
        if (w - p == 2 && n > 0)
            g_ptr_array_add(cmds, g_strndup(w, n));
    }
    free(help);
    ck_assert_int_ge(cmds->len, 4);
    return cmds;
}

/* Every "--long" and "-x" option in a usage text's "Options:" part, sorted and unique. */
static GPtrArray *options_of(const char *usage)
{
    GPtrArray *opts = g_ptr_array_new_with_free_func(g_free);
    const char *p = strstr(usage, "Options:");
    const char *end = p ? strstr(p, "\n\n") : NULL;
    for (; p && *p && (!end || p < end); p++) {
        if (*p != '-' || (p[-1] != ' ' && p[-1] != ','))
            continue;
        size_t n = 1 + (p[1] == '-');
        n += strspn(p + n, "abcdefghijklmnopqrstuvwxyz-");
        if (n < 2 || p[n - 1] == '-')
            continue;
        char *o = g_strndup(p, n);
        bool seen = false;
        for (guint i = 0; i < opts->len; i++)
            seen = seen || !strcmp(g_ptr_array_index(opts, i), o);
        if (seen)
            g_free(o);
        else
            g_ptr_array_add(opts, o);
        p += n - 1;
    }
    return opts;
}

static char *man_text(void)
{
    char *man = wb_test_read(wb_test_path("doc/workbook.1"), NULL);
    ck_assert_ptr_nonnull(man);
    /* roff's \- is a plain hyphen to a reader */
    GString *s = g_string_new(NULL);
    for (const char *p = man; *p; p++) {
        if (p[0] == '\\' && p[1] == '-') {
            g_string_append_c(s, '-');
            p++;
        } else {
            g_string_append_c(s, *p);
        }
    }
    free(man);
    return g_string_free(s, FALSE);
}

/* The option as a word of the text: not followed by more of a longer name. */
static bool mentions_option(const char *text, const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = strstr(text, opt); p; p = strstr(p + 1, opt)) {
        char after = p[n];
        bool before_ok = p == text || !(g_ascii_isalnum(p[-1]) || p[-1] == '-');
        if (before_ok && !(g_ascii_isalnum(after) || after == '-'))
            return true;
    }
    return false;
}

START_TEST(man_page_has_every_option)
{
    char *man = man_text();
    GPtrArray *cmds = commands();
    char *main_help = output(NULL, "'%s' --help", wb_test_bin());
    for (guint c = 0; c < cmds->len; c++) {
        const char *cmd = g_ptr_array_index(cmds, c);
        char *b = g_strdup_printf(".B %s", cmd);
        ck_assert_msg(strstr(man, b) != NULL, "the man page has no command %s (.B %s)", cmd, cmd);
        g_free(b);
        char *usage = output(NULL, "'%s' %s --help", wb_test_bin(), cmd);
        GPtrArray *opts = options_of(usage);
        ck_assert_msg(opts->len > 1, "no options found in the usage of %s", cmd);
        char *section = g_strdup_printf(".SH %s OPTIONS", cmd);
        for (char *s = section + 4; *s; s++)
            *s = g_ascii_toupper(*s);
        const char *from = strstr(man, section);
        ck_assert_msg(from != NULL, "the man page has no section %s", section);
        const char *to = strstr(from + 1, "\n.SH ");
        char *part = to ? g_strndup(from, to - from) : g_strdup(from);
        for (guint i = 0; i < opts->len; i++) {
            const char *o = g_ptr_array_index(opts, i);
            /* -h and --help are described once, among the general options */
            bool general = !strcmp(o, "-h") || !strcmp(o, "--help");
            ck_assert_msg(mentions_option(general ? man : part, o), "the man page's %s does not mention %s", section, o);
        }
        g_free(part);
        g_free(section);
        g_ptr_array_free(opts, TRUE);
        free(usage);
    }
    /* the limits and the general options */
    for (const char *p = strstr(main_help, "WB_"); p; p = strstr(p + 1, "WB_")) {
        char *var = g_strndup(p, strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"));
        ck_assert_msg(strstr(man, var) != NULL, "the man page does not mention %s", var);
        g_free(var);
    }
    ck_assert(mentions_option(man, "--version") && mentions_option(man, "--help"));
    free(main_help);
    g_ptr_array_free(cmds, TRUE);
    g_free(man);
}
END_TEST

/* What the completion offers for the words of a command line, the last being the word being
 * completed; the program is this build's, found through PATH. */
static char **complete(const char *words)
{
    char *bin_dir = g_path_get_dirname(wb_test_bin());
    char *script = g_strdup_printf("PATH='%s':\"$PATH\"; source '%s'; COMP_WORDS=(%s); "
                                   "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _workbook; printf '%%s\\n' \"${COMPREPLY[@]}\"",
                                   bin_dir, wb_test_path("tools/workbook.bash-completion"), words);
    char *quoted = g_shell_quote(script);
    char *out = output(NULL, "cd '%s' && bash -c %s", tmp, quoted);
    char **lines = g_strsplit(g_strchomp(out), "\n", -1);
    free(out);
    g_free(quoted);
    g_free(script);
    g_free(bin_dir);
    return lines;
}

/* g_ptr_array_sort passes pointers to the elements */
static gint compare_words(gconstpointer a, gconstpointer b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The words as a sorted, space-separated string, to compare sets. */
static char *sorted(char **words)
{
    GPtrArray *a = g_ptr_array_new();
    for (int i = 0; words[i]; i++)
        if (*words[i])
            g_ptr_array_add(a, words[i]);
    g_ptr_array_sort(a, compare_words);
    g_ptr_array_add(a, NULL);
    char *s = g_strjoinv(" ", (char **)a->pdata);
    g_ptr_array_free(a, TRUE);
    return s;
}

START_TEST(completion_commands_and_options)
{
    GPtrArray *cmds = commands();
    char **got = complete("workbook ''");
    for (guint c = 0; c < cmds->len; c++) {
        const char *cmd = g_ptr_array_index(cmds, c);
        ck_assert_msg(g_strv_contains((const char *const *)got, cmd), "the completion does not offer %s", cmd);
        /* exactly the options of the command's usage */
        char *usage = output(NULL, "'%s' %s --help", wb_test_bin(), cmd);
        GPtrArray *opts = options_of(usage);
        g_ptr_array_add(opts, NULL);
        char *want = sorted((char **)opts->pdata);
        char *words = g_strdup_printf("workbook %s -", cmd);
        char **offered = complete(words);
        char *have = sorted(offered);
        ck_assert_msg(!strcmp(want, have), "%s: the usage has\n  %s\nthe completion offers\n  %s", cmd, want, have);
        g_strfreev(offered);
        g_free(words);
        g_free(have);
        g_free(want);
        g_ptr_array_free(opts, TRUE);
        free(usage);
    }
    g_strfreev(got);
    g_ptr_array_free(cmds, TRUE);
    /* a prefix */
    got = complete("workbook build x.xml --ed");
    ck_assert_str_eq(got[0], "--edition");
    ck_assert_ptr_null(got[1]);
    g_strfreev(got);
}
END_TEST

START_TEST(completion_values)
{
    /* editions: those the program's error message lists */
    int rc = 0;
    char *err = output(&rc, "'%s' build x.xml -o x.pdf --edition nosuch", wb_test_bin());
    ck_assert_int_eq(rc, 2);
    const char *open = strstr(err, "(");
    ck_assert_ptr_nonnull(open);
    char *list = g_strndup(open + 1, strcspn(open + 1, ")"));
    char **names = g_strsplit_set(list, ", ", -1);
    GPtrArray *known = g_ptr_array_new();
    for (int i = 0; names[i]; i++)
        if (*names[i] && strcmp(names[i], "or"))
            g_ptr_array_add(known, names[i]);
    g_ptr_array_add(known, NULL);
    char *want = sorted((char **)known->pdata);
    char **got = complete("workbook build x.xml --edition ''");
    char *have = sorted(got);
    ck_assert_msg(!strcmp(want, have), "editions: the program knows %s, the completion offers %s", want, have);
    g_free(have);
    g_free(want);
    g_strfreev(got);
    g_ptr_array_free(known, TRUE);
    g_strfreev(names);
    g_free(list);
    free(err);

    /* the languages of the course at hand */
    char *words = g_strdup_printf("workbook build '%s' -q --lang ''", wb_test_path("courses/keeping-promises/course.xml"));
    got = complete(words);
    have = sorted(got);
    ck_assert_str_eq(have, "bg en fr ru");
    g_free(have);
    g_strfreev(got);
    g_free(words);
    char *course = g_strdup_printf("%s/c.xml", tmp);
    ck_assert(g_file_set_contents(course, "<course languages=\"de it\" xml:lang=\"de\"/>\n", -1, NULL));
    got = complete("workbook validate c.xml -l ''");
    have = sorted(got);
    ck_assert_str_eq(have, "de it");
    g_free(have);
    g_strfreev(got);

    /* brands: the table's and the kit beside the course */
    char *brand = g_strdup_printf("%s/brand.xml", tmp);
    ck_assert(g_file_set_contents(brand, "<brand id=\"acme\" primary=\"#112233\" accent=\"#445566\"/>\n", -1, NULL));
    got = complete("workbook build c.xml --brand ''");
    for (const char *const *b = (const char *const[]){"default", "northwind", "atelier", "acme", NULL}; *b; b++)
        ck_assert_msg(g_strv_contains((const char *const *)got, *b), "the completion does not offer brand %s", *b);
    g_strfreev(got);
    g_free(brand);
    g_free(course);

    /* formats and papers */
    got = complete("workbook build c.xml -f ''");
    have = sorted(got);
    ck_assert_str_eq(have, "contact fo pdf png svg");
    g_free(have);
    g_strfreev(got);
    got = complete("workbook build c.xml --paper ''");
    have = sorted(got);
    ck_assert_str_eq(have, "A4 A5 letter");
    g_free(have);
    g_strfreev(got);
}
END_TEST

START_TEST(make_install_and_uninstall)
{
    if (!wb_test_have("make")) {
        fprintf(stderr, "make_install_and_uninstall: no make, skipped\n");
        return;
    }
    char *dest = g_strdup_printf("%s/dest", tmp);
    const char *src = wb_test_path(".");
    char *src_dir = g_strdup(src);
    /* the tree's normal build is what make install copies (made when missing); the make
     * running this test, if any, passes nothing of its own (BUILD=out/asan...) */
    char *out = output(NULL, "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C '%s' install DESTDIR='%s' PREFIX=/opt/wb 2>&1", src_dir, dest);
    free(out);
    static const char *const files[] = {"/opt/wb/share/man/man1/workbook.1",
                                        "/opt/wb/share/bash-completion/completions/workbook",
                                        "/opt/wb/bin/workbook", "/opt/wb/share/workbook/styles/brand.rng"};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *path = g_strdup_printf("%s%s", dest, files[i]);
        ck_assert_msg(g_file_test(path, G_FILE_TEST_IS_REGULAR), "make install did not install %s", files[i]);
        g_free(path);
    }
    /* the installed man page is the page */
    char *page = g_strdup_printf("%s/opt/wb/share/man/man1/workbook.1", dest);
    char *installed = wb_test_read(page, NULL), *shipped = wb_test_read(wb_test_path("doc/workbook.1"), NULL);
    ck_assert_str_eq(installed, shipped);
    free(installed);
    free(shipped);
    out = output(NULL, "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C '%s' uninstall DESTDIR='%s' PREFIX=/opt/wb 2>&1", src_dir, dest);
    free(out);
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *path = g_strdup_printf("%s%s", dest, files[i]);
        ck_assert_msg(!g_file_test(path, G_FILE_TEST_EXISTS), "make uninstall left %s", files[i]);
        g_free(path);
    }
    g_free(page);
    g_free(src_dir);
    g_free(dest);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_docs");
    TCase *tc = tcase_create("cli_docs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, man_page_has_every_option);
    tcase_add_test(tc, completion_commands_and_options);
    tcase_add_test(tc, completion_values);
    tcase_add_test(tc, make_install_and_uninstall);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
