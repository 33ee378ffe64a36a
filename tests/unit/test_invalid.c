/* The course language seen by an author: broken documents get the message they should, valid
 * documents (reuse with xpointer, profiling variants, a lone module) pass and give the
 * variants they describe, and the shipped courses are valid and complete.
 *
 * tests/data/invalid/NN-what.xml: one author's mistake each.  The comment after the XML
 * declaration says how the file is checked and what `workbook validate` must print:
 *
 *     <!-- args: -l en
 *          expect: 02-unknown-element.xml:10:5: error: <paragraph> is not allowed here, ...
 *          expect-improved: ... -->
 *
 * The test runs `cd tests/data/invalid && workbook validate FILE ARGS` and wants exit status 1
 * and every `expect:` line, exactly, as a line of standard error.  `expect-improved:` lines
 * are the message an author should get where the engine's wording is not there yet: they are
 * checked too, but a mismatch only prints "known failure: ..." and does not fail the test.
 * When a file has only `expect-improved:` lines, a wrong exit status (the engine accepts the
 * mistake) is a known failure too; a crash or a usage error never is.  Lines of standard
 * error beyond the expected ones (follow-ups blaming another element, a parser's cascade)
 * are listed as a known failure as well: one mistake should give one message.  In
 * expectations, {dir} stands for the absolute (real) path of tests/data/invalid.  XML
 * comments may not contain two hyphens in a row, so the args use short options (-l, -e) and
 * no message may contain "--".
 *
 * Each tests/data/valid/NAME.xml: `workbook validate FILE` exits 0 with nothing on standard error;
 * their comments add checks, one keyword a line:
 *     validate: ARGS      validate again with these options: exit 0, nothing on stderr
 *     fo: ARGS            workbook build FILE -f fo -o TMP ARGS: exit 0; the has/lacks lines
 *                         that follow look in the FO (whitespace runs count as one space)
 *     load: k=v ...       wb_load_course with that profile (lang, edition, audience, brand):
 *                         loads with no diagnostic; has/lacks look in the course's text
 *     has: TEXT / lacks: TEXT
 *     known-bug: WHY      failures of this file are known failures (an engine bug)
 * Options go through the shell unquoted, as written. */
#include "workbook/load.h"

#include <check.h>
#include <glob.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit/support.h"

#define MAX_FILES 128

static char *invalid_files[MAX_FILES];
static int n_invalid;
static char *valid_files[MAX_FILES];
static int n_valid;

/* ---- small helpers ---- */

/* The base names of the .xml files in dir, sorted; returns how many. */
static int list_xml(const char *dir, char **names, int max)
{
    char pat[PATH_MAX];
    snprintf(pat, sizeof pat, "%s/*.xml", dir);
    glob_t g;
    int n = 0;
    if (glob(pat, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && n < max; i++) {
            const char *slash = strrchr(g.gl_pathv[i], '/');
            names[n++] = strdup(slash ? slash + 1 : g.gl_pathv[i]);
        }
        globfree(&g);
    }
    return n;
}

/* An absolute path under the repository; caller frees. */
static char *repo_path(const char *rel)
{
    char *p = strdup(wb_test_path(rel));
    ck_assert_ptr_nonnull(p);
    return p;
}

/* Text with every run of whitespace made one space; caller frees. */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = true;
            continue;
        }
        if (space && o != out)
            *o++ = ' ';
        space = false;
        *o++ = *s;
    }
    *o = 0;
    return out;
}

/* A copy of s without leading and trailing blanks; caller frees. */
static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return strndup(s, n);
}

/* Replaces every "{dir}" in s by dir; caller frees. */
static char *expand_dir(const char *s, const char *dir)
{
    size_t cap = strlen(s) + 1;
    for (const char *p = s; (p = strstr(p, "{dir}")) != NULL; p += 5)
        cap += strlen(dir);
    char *out = malloc(cap), *o = out;
    while (*s) {
        if (strncmp(s, "{dir}", 5) == 0) {
            o = stpcpy(o, dir);
            s += 5;
        } else {
            *o++ = *s++;
        }
    }
    *o = 0;
    return out;
}

/* True when `line` is one whole line of `text`. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p && (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == 0))
            return true;
    return false;
}

/* ---- the header comment ---- */

typedef struct directive {
    char key[24];
    char *value;
} directive;

typedef struct header {
    directive d[64];
    int n;
} header;

/* Reads the first comment of a file into its keyword lines ("key: value"). */
static void read_header(const char *path, header *h)
{
    memset(h, 0, sizeof *h);
    char *text = wb_test_read(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    char *start = strstr(text, "<!--");
    ck_assert_msg(start != NULL, "%s: no comment with the expectations", path);
    start += 4;
    char *end = strstr(start, "-->");
    ck_assert_msg(end != NULL, "%s: unterminated comment", path);
    *end = 0;
    for (char *line = start; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *l = trimmed(line, len);
        char *colon = strchr(l, ':');
        size_t kl = colon ? (size_t)(colon - l) : 0;
        if (colon && kl > 0 && kl < sizeof h->d[0].key && strspn(l, "abcdefghijklmnopqrstuvwxyz-") == kl &&
            h->n < 64) {
            memcpy(h->d[h->n].key, l, kl);
            h->d[h->n].key[kl] = 0;
            h->d[h->n].value = trimmed(colon + 1, strlen(colon + 1));
            h->n++;
        }
        free(l);
        line = nl ? nl + 1 : NULL;
    }
    free(text);
}

static void free_header(header *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->d[i].value);
    h->n = 0;
}

static const char *header_get(const header *h, const char *key)
{
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->d[i].key, key) == 0)
            return h->d[i].value;
    return NULL;
}

/* Runs `cd dir && cmd`, keeping standard error only; returns the status. */
static int run_in(const char *dir, const char *cmd, char **err)
{
    char *full = NULL;
    ck_assert_int_ge(asprintf(&full, "cd '%s' && %s 2>&1 >/dev/null", dir, cmd), 0);
    int st = wb_test_run(full, err, false);
    free(full);
    if (err && !*err)
        *err = strdup("");
    return st;
}

/* ---- invalid documents ---- */

static void check_invalid_file(const char *name)
{
    char *dir = repo_path("tests/data/invalid");
    char real[PATH_MAX];
    ck_assert_msg(realpath(dir, real) != NULL, "no folder %s", dir);
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
    header h;
    read_header(path, &h);
    const char *args = header_get(&h, "args");
    ck_assert_msg(args != NULL, "%s: the comment has no args: line", name);

    char *cmd = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&cmd, "'%s' validate '%s' %s", wb_test_bin(), name, args), 0);
    int st = run_in(dir, cmd, &err);

    int firm = 0, improved = 0;
    for (int i = 0; i < h.n; i++) {
        firm += strcmp(h.d[i].key, "expect") == 0;
        improved += strcmp(h.d[i].key, "expect-improved") == 0;
    }
    ck_assert_msg(firm + improved > 0, "%s: the comment has no expect: line", name);
    ck_assert_msg(st == 0 || st == 1, "%s: exit status %d (a crash or a usage error): %s", name, st,
                  err);
    if (st != 1) {
        if (firm)
            ck_abort_msg("%s: exit status %d, want 1; stderr:\n%s", name, st, err);
        printf("known failure: %s: exit status %d, want 1 (the engine accepts this mistake)\n", name,
               st);
    }
    bool missed = st != 1;
    for (int i = 0; i < h.n; i++) {
        bool is_firm = strcmp(h.d[i].key, "expect") == 0;
        if (!is_firm && strcmp(h.d[i].key, "expect-improved") != 0)
            continue;
        char *want = expand_dir(h.d[i].value, real);
        if (!has_line(err, want)) {
            missed = true;
            if (is_firm)
                ck_abort_msg("%s: stderr lacks the line\n  %s\nstderr:\n%s", name, want, err);
            printf("known failure: %s\n  wanted: %s\n  got:    ", name, want);
            for (const char *p = err; *p; p++) {
                putchar(*p);
                if (*p == '\n' && p[1])
                    fputs("          ", stdout);
            }
            if (!*err)
                puts("(nothing)");
        }
        free(want);
    }
    /* One mistake, one message: any other line (a follow-up blaming another element, a
     * cascade of parser errors) is reported, not failed; after a mismatch above, the whole
     * of stderr is shown already. */
    bool extra = false;
    for (const char *line = missed ? "" : err, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            nl = line + strlen(line) - 1;
        char *l = strndup(line, (size_t)(nl - line) + (*nl != '\n'));
        bool expected = false;
        for (int i = 0; i < h.n && !expected; i++) {
            if (strcmp(h.d[i].key, "expect") != 0 && strcmp(h.d[i].key, "expect-improved") != 0)
                continue;
            char *want = expand_dir(h.d[i].value, real);
            expected = strcmp(want, l) == 0;
            free(want);
        }
        if (!expected && *l) {
            if (!extra)
                printf("known failure: %s: more than the one message:\n", name);
            printf("  extra:  %s\n", l);
            extra = true;
        }
        free(l);
    }
    fflush(stdout);
    free(err);
    free(cmd);
    free_header(&h);
    free(path);
    free(dir);
}

START_TEST(test_invalid_document)
{
    check_invalid_file(invalid_files[_i]);
}
END_TEST

START_TEST(test_invalid_set)
{
    /* 25 to 40 mistakes, named NN-what.xml, numbered without repeats */
    ck_assert_msg(n_invalid >= 25 && n_invalid <= 40, "%d documents in tests/data/invalid", n_invalid);
    bool seen[100] = {false};
    for (int i = 0; i < n_invalid; i++) {
        const char *f = invalid_files[i];
        ck_assert_msg(f[0] >= '0' && f[0] <= '9' && f[1] >= '0' && f[1] <= '9' && f[2] == '-',
                      "%s is not named NN-what.xml", f);
        int nn = (f[0] - '0') * 10 + (f[1] - '0');
        ck_assert_msg(!seen[nn], "number %02d used twice (%s)", nn, f);
        seen[nn] = true;
    }
}
END_TEST

/* The external entity of 19-external-entity.xml is never read: its text shows neither in
 * the messages nor in what a build writes. */
START_TEST(test_external_entity_never_expanded)
{
    char *dir = repo_path("tests/data/invalid");
    char *secret_path = repo_path("tests/data/invalid/modules/secret.txt");
    char *secret = wb_test_read(secret_path, NULL);
    ck_assert_ptr_nonnull(secret);
    secret[strcspn(secret, "\n")] = 0;
    ck_assert_uint_gt(strlen(secret), 8);
    char *tmp = wb_test_tmpdir();
    ck_assert_ptr_nonnull(tmp);
    char *cmd = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&cmd, "'%s' validate 19-external-entity.xml", wb_test_bin()), 0);
    run_in(dir, cmd, &err);
    ck_assert_msg(strstr(err, secret) == NULL, "the entity was read: %s", err);
    free(cmd);
    free(err);
    err = NULL;
    ck_assert_int_ge(asprintf(&cmd, "'%s' build 19-external-entity.xml -f fo -o '%s/out.fo'",
                              wb_test_bin(), tmp), 0);
    run_in(dir, cmd, &err);
    ck_assert_msg(strstr(err, secret) == NULL, "the entity was read: %s", err);
    char *fo_path = NULL;
    ck_assert_int_ge(asprintf(&fo_path, "%s/out.fo", tmp), 0);
    char *fo = wb_test_read(fo_path, NULL);
    ck_assert_msg(!fo || strstr(fo, secret) == NULL, "the entity was expanded into the FO");
    unlink(fo_path);
    rmdir(tmp);
    free(fo);
    free(fo_path);
    free(cmd);
    free(err);
    free(tmp);
    free(secret);
    free(secret_path);
    free(dir);
}
END_TEST

/* ---- valid documents ---- */

/* The failures of one valid document, gathered so that a known bug reports them all. */
typedef struct failures {
    char *buf;
    size_t len;
    FILE *f;
    int count;
} failures;

static void add_failure(failures *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_failure(failures *fs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("\n  ", fs->f);
    vfprintf(fs->f, fmt, ap);
    va_end(ap);
    fs->count++;
}

/* Validates `name` in `dir` with options; wants exit 0 and an empty stderr. */
/* stderr made readable inside a failure report; caller frees. */
static char *indented(const char *err)
{
    if (!*err)
        return strdup("(empty)");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (const char *p = err; *p; p++) {
        fputc(*p, f);
        if (*p == '\n' && p[1])
            fputs("      ", f);
    }
    fclose(f);
    while (len && buf[len - 1] == '\n')
        buf[--len] = 0;
    return buf;
}

static void valid_validate(failures *fs, const char *dir, const char *name, const char *args)
{
    char *cmd = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&cmd, "'%s' validate '%s' %s", wb_test_bin(), name, args), 0);
    int st = run_in(dir, cmd, &err);
    if (st != 0 || *err) {
        char *e = indented(err);
        add_failure(fs, "validate %s%s%s: exit %d, stderr:\n      %s", name, *args ? " " : "", args, st, e);
        free(e);
    }
    free(err);
    free(cmd);
}

/* The FO of `workbook build name -f fo ARGS`, whitespace squeezed, or NULL after a failure. */
static char *valid_fo(failures *fs, const char *dir, const char *name, const char *args)
{
    char *tmp = wb_test_tmpdir();
    ck_assert_ptr_nonnull(tmp);
    char *out = NULL, *cmd = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&out, "%s/out.fo", tmp), 0);
    ck_assert_int_ge(asprintf(&cmd, "'%s' build '%s' -f fo -o '%s' %s", wb_test_bin(), name, out, args), 0);
    int st = run_in(dir, cmd, &err);
    char *fo = wb_test_read(out, NULL);
    char *text = NULL;
    if (st != 0 || !fo) {
        char *e = indented(err);
        add_failure(fs, "build %s -f fo %s: exit %d, stderr:\n      %s", name, args, st, e);
        free(e);
    } else
        text = squeeze(fo);
    unlink(out);
    rmdir(tmp);
    free(fo);
    free(err);
    free(cmd);
    free(out);
    free(tmp);
    return text;
}

/* The text of the course loaded with the profile "lang=en audience=x ...", whitespace
 * squeezed, or NULL after a failure. */
static char *valid_load(failures *fs, const char *path, const char *spec)
{
    char *copy = strdup(spec);
    wb_profile prof = {0};
    for (char *save = NULL, *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(w, '=');
        if (!eq) {
            add_failure(fs, "load: \"%s\" is not key=value", w);
            continue;
        }
        *eq = 0;
        if (!strcmp(w, "lang"))
            prof.lang = eq + 1;
        else if (!strcmp(w, "edition"))
            prof.edition = eq + 1;
        else if (!strcmp(w, "audience"))
            prof.audience = eq + 1;
        else if (!strcmp(w, "brand"))
            prof.brand = eq + 1;
        else
            add_failure(fs, "load: unknown profile key \"%s\"", w);
    }
    char *schema = repo_path("styles/course.rng");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_course(ctx, path, &prof, schema);
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    char *text = NULL;
    if (!doc || n > 0) {
        add_failure(fs, "load %s: %s, %zu diagnostics%s%s", spec, doc ? "loaded" : "not loaded", n,
             n ? ", the first: " : "", n ? d[0].message : "");
    } else {
        xmlChar *content = xmlNodeGetContent(xmlDocGetRootElement(doc));
        text = squeeze(content ? (const char *)content : "");
        xmlFree(content);
    }
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    free(schema);
    free(copy);
    return text;
}

static void check_valid_file(const char *name)
{
    char *dir = repo_path("tests/data/valid");
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
    header h;
    read_header(path, &h);
    failures fs = {0};
    fs.f = open_memstream(&fs.buf, &fs.len);
    ck_assert_ptr_nonnull(fs.f);

    valid_validate(&fs, dir, name, "");
    char *text = NULL;       /* what has/lacks look in */
    const char *where = "";  /* the fo: or load: line it came from */
    bool have_source = false;
    for (int i = 0; i < h.n; i++) {
        const char *k = h.d[i].key, *v = h.d[i].value;
        if (!strcmp(k, "validate")) {
            valid_validate(&fs, dir, name, v);
        } else if (!strcmp(k, "fo") || !strcmp(k, "load")) {
            free(text);
            text = !strcmp(k, "fo") ? valid_fo(&fs, dir, name, v) : valid_load(&fs, path, v);
            where = v;
            have_source = true;
        } else if (!strcmp(k, "has") || !strcmp(k, "lacks")) {
            if (!have_source) {
                add_failure(&fs, "%s: %s comes before any fo: or load: line", k, v);
                continue;
            }
            if (!text)
                continue; /* the build or load has failed already */
            char *want = squeeze(v);
            bool found = strstr(text, want) != NULL;
            if (!strcmp(k, "has") && !found)
                add_failure(&fs, "[%s] lacks \"%s\"", where, want);
            if (!strcmp(k, "lacks") && found)
                add_failure(&fs, "[%s] has \"%s\", which it should not", where, want);
            free(want);
        }
    }
    free(text);
    fclose(fs.f);
    const char *bug = header_get(&h, "known-bug");
    if (fs.count && bug) {
        printf("known failure: %s (%s):%s\n", name, bug, fs.buf);
        fflush(stdout);
    } else {
        ck_assert_msg(fs.count == 0, "%s:%s", name, fs.buf);
    }
    if (!fs.count && bug) {
        printf("%s: passes now; its known-bug: line can go\n", name);
        fflush(stdout);
    }
    free(fs.buf);
    free_header(&h);
    free(path);
    free(dir);
}

START_TEST(test_valid_document)
{
    check_valid_file(valid_files[_i]);
}
END_TEST

/* ---- the shipped courses ---- */

START_TEST(test_courses_validate_all)
{
    static const char *const courses[] = {"courses/fruitful-client-relations/course.xml",
                                          "courses/keeping-promises/course.xml"};
    char *root = repo_path(".");
    for (size_t i = 0; i < sizeof courses / sizeof *courses; i++) {
        char *cmd = NULL, *err = NULL;
        ck_assert_int_ge(asprintf(&cmd, "'%s' validate %s --all", wb_test_bin(), courses[i]), 0);
        int st = run_in(root, cmd, &err);
        ck_assert_msg(st == 0 && *err == 0, "%s: exit %d: %s", cmd, st, err);
        free(err);
        free(cmd);
    }
    free(root);
}
END_TEST

/* The languages a course declares (languages="..."), NULL-terminated; caller frees all. */
static char **course_languages(const char *path)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    ck_assert_msg(doc != NULL, "cannot read %s", path);
    xmlChar *l = xmlGetNoNsProp(xmlDocGetRootElement(doc), BAD_CAST "languages");
    ck_assert_msg(l != NULL, "%s declares no languages", path);
    char **langs = calloc(16, sizeof *langs);
    int n = 0;
    char *copy = strdup((const char *)l);
    for (char *save = NULL, *w = strtok_r(copy, " \t\n", &save); w && n < 15; w = strtok_r(NULL, " \t\n", &save))
        langs[n++] = strdup(w);
    free(copy);
    xmlFree(l);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    return langs;
}

static void free_strv(char **v)
{
    for (int i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static xmlDocPtr load_lang(const char *path, const char *lang)
{
    char *schema = repo_path("styles/course.rng");
    wb_ctx *ctx = wb_ctx_new();
    wb_profile prof = {.lang = lang};
    xmlDocPtr doc = wb_load_course(ctx, path, &prof, schema);
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_msg(doc != NULL, "%s in %s does not load: %s", path, lang, n ? d[0].message : "?");
    wb_ctx_free(ctx);
    free(schema);
    return doc;
}

static const char *const kinds[] = {"open",         "true-false", "single-choice", "multiple-choice",
                                    "matching",     "sequencing", "fill-in",       "checklist",
                                    "rating-scale", "role-play",  "discussion"};
#define N_KINDS (sizeof kinds / sizeof *kinds)

static void count_kinds(xmlNodePtr n, int *count)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "exercise")) {
            for (xmlNodePtr c = n->children; c; c = c->next)
                for (size_t k = 0; c->type == XML_ELEMENT_NODE && k < N_KINDS; k++)
                    if (xmlStrEqual(c->name, BAD_CAST kinds[k]))
                        count[k]++;
        }
        count_kinds(n->children, count);
    }
}

START_TEST(test_course_every_exercise_kind)
{
    char *path = repo_path("courses/fruitful-client-relations/course.xml");
    char **langs = course_languages(path);
    for (int l = 0; langs[l]; l++) {
        xmlDocPtr doc = load_lang(path, langs[l]);
        int count[N_KINDS] = {0};
        count_kinds(xmlDocGetRootElement(doc), count);
        for (size_t k = 0; k < N_KINDS; k++)
            ck_assert_msg(count[k] > 0, "the %s course has no %s exercise", langs[l], kinds[k]);
        xmlFreeDoc(doc);
    }
    free_strv(langs);
    free(path);
}
END_TEST

typedef struct idset {
    char **v;
    int n, cap;
} idset;

static void collect_ids(xmlNodePtr n, idset *s)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *id = xmlGetNoNsProp(n, BAD_CAST "id");
        if (id) {
            if (s->n == s->cap) {
                s->cap = s->cap ? 2 * s->cap : 256;
                s->v = realloc(s->v, (size_t)s->cap * sizeof *s->v);
                ck_assert_ptr_nonnull(s->v);
            }
            s->v[s->n++] = strdup((const char *)id);
            xmlFree(id);
        }
        collect_ids(n->children, s);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool idset_has(const idset *s, const char *id)
{
    return bsearch(&id, s->v, (size_t)s->n, sizeof *s->v, cmp_str) != NULL;
}

/* The ids of `a` missing from `b`, as text (empty when none); caller frees. */
static char *ids_missing(const idset *a, const idset *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (int i = 0; i < a->n; i++)
        if (!idset_has(b, a->v[i]))
            fprintf(f, " %s", a->v[i]);
    fclose(f);
    return buf;
}

static void check_same_ids(const char *rel)
{
    char *path = repo_path(rel);
    char **langs = course_languages(path);
    idset sets[16] = {{0}};
    int n = 0;
    for (; langs[n]; n++) {
        xmlDocPtr doc = load_lang(path, langs[n]);
        collect_ids(xmlDocGetRootElement(doc), &sets[n]);
        qsort(sets[n].v, (size_t)sets[n].n, sizeof *sets[n].v, cmp_str);
        xmlFreeDoc(doc);
    }
    ck_assert_int_gt(n, 1);
    char *report = NULL;
    size_t rlen = 0;
    FILE *f = open_memstream(&report, &rlen);
    for (int l = 1; l < n; l++) {
        char *only_first = ids_missing(&sets[0], &sets[l]);
        char *only_this = ids_missing(&sets[l], &sets[0]);
        if (*only_first || *only_this)
            fprintf(f, "\n  %s vs %s: only in %s:%s; only in %s:%s", langs[0], langs[l], langs[0],
                    *only_first ? only_first : " (none)", langs[l], *only_this ? only_this : " (none)");
        free(only_first);
        free(only_this);
    }
    fclose(f);
    ck_assert_msg(rlen == 0, "%s: the languages differ in their ids:%s", rel, report);
    free(report);
    for (int l = 0; l < n; l++) {
        for (int i = 0; i < sets[l].n; i++)
            free(sets[l].v[i]);
        free(sets[l].v);
    }
    free_strv(langs);
    free(path);
}

START_TEST(test_course_same_ids_in_every_language)
{
    check_same_ids("courses/fruitful-client-relations/course.xml");
}
END_TEST

START_TEST(test_second_course_same_ids_in_every_language)
{
    check_same_ids("courses/keeping-promises/course.xml");
}
END_TEST

static Suite *invalid_suite(void)
{
    Suite *s = suite_create("course language");
    TCase *tc = tcase_create("invalid");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_invalid_set);
    tcase_add_loop_test(tc, test_invalid_document, 0, n_invalid);
    tcase_add_test(tc, test_external_entity_never_expanded);
    suite_add_tcase(s, tc);

    tc = tcase_create("valid");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_valid_document, 0, n_valid);
    suite_add_tcase(s, tc);

    tc = tcase_create("courses");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_courses_validate_all);
    tcase_add_test(tc, test_course_every_exercise_kind);
    tcase_add_test(tc, test_course_same_ids_in_every_language);
    tcase_add_test(tc, test_second_course_same_ids_in_every_language);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* "known failure" lines reach a log file in order with check's own output */
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* before any test runs: no ck_assert here */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", wb_test_path("tests/data/invalid"));
    n_invalid = list_xml(dir, invalid_files, MAX_FILES);
    snprintf(dir, sizeof dir, "%s", wb_test_path("tests/data/valid"));
    n_valid = list_xml(dir, valid_files, MAX_FILES);
    int failed = wb_test_run_suite(invalid_suite());
    for (int i = 0; i < n_invalid; i++)
        free(invalid_files[i]);
    for (int i = 0; i < n_valid; i++)
        free(valid_files[i]);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
