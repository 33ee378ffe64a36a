/* Helpers shared by the tests.  See support.h. */
#include "unit/support.h"

#include <limits.h>

#include "workbook/context.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

const char *wb_test_path(const char *rel)
{
    static char slots[4][4096];
    static int next;
    char *buf = slots[next++ % 4];
    const char *root = getenv("WB_SOURCE_DIR");
    char cwd[2048];
    if (!root || !*root)
        root = getcwd(cwd, sizeof cwd) ? cwd : ".";
    snprintf(buf, 4096, "%s/%s", root, rel);
    return buf;
}

char *wb_test_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    char *tmpl = NULL;
    if (asprintf(&tmpl, "%s/wbtest-XXXXXX", t && *t ? t : "/tmp") < 0)
        return NULL;
    if (!mkdtemp(tmpl)) {
        free(tmpl);
        return NULL;
    }
    return tmpl;
}

const char *wb_test_bin(void)
{
    const char *b = getenv("WB_BIN");
    if (b && *b)
        return b;
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s", wb_test_path("out/bin/workbook"));
    return buf;
}

int wb_test_run(const char *cmd, char **out, bool merge_stderr)
{
    char *full = NULL;
    if (asprintf(&full, "%s%s", cmd, merge_stderr ? " 2>&1" : "") < 0)
        return -1;
    FILE *p = popen(full, "r");
    free(full);
    if (!p)
        return -1;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2048) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
    }
    if (buf)
        buf[len] = 0;
    int st = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *wb_test_read(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        if (len)
            *len = n;
    }
    return buf;
}

bool wb_test_have(const char *program)
{
    char *cmd = NULL;
    if (asprintf(&cmd, "command -v %s >/dev/null 2>&1", program) < 0)
        return false;
    int rc = system(cmd);
    free(cmd);
    return rc == 0;
}

char *test_data(const char *rel)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "tests/data/unit/%s", rel);
    return strdup(wb_test_path(buf));
}

char *test_diags_text(const wb_ctx *ctx)
{
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return strdup("");
    fprintf(f, "[%zu diagnostics]", n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " {%d %s:%d:%d %s}", d[i].severity, d[i].file ? d[i].file : "(null)", d[i].line, d[i].col,
                d[i].message);
    fclose(f);
    return buf;
}

int test_count_diags(const wb_ctx *ctx, int severity, const char *needle, const wb_diagnostic **first)
{
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    int c = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)d[i].severity == severity && strstr(d[i].message, needle) && c++ == 0 && first)
            *first = &d[i];
    return c;
}

int wb_test_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed;
}

char *wb_test_run_ok(bool merge_stderr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *out = NULL;
    int rc = wb_test_run(cmd, &out, merge_stderr);
    ck_assert_msg(rc == 0, "command failed (%d): %s\n%s", rc, cmd, out ? out : "");
    g_free(cmd);
    return out;
}

void wb_test_rmtree(const char *dir)
{
    char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    g_free(cmd);
}

int wb_test_main(Suite *s) { return wb_test_run_suite(s) > 0 ? EXIT_FAILURE : EXIT_SUCCESS; }
