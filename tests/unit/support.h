/* Helpers shared by the unit and end-to-end tests. */
#ifndef WB_TEST_SUPPORT_H
#define WB_TEST_SUPPORT_H

#include <stdbool.h>

#include <check.h>

/* An absolute path for a path relative to the repository (WB_SOURCE_DIR, else the current
 * folder).  The result is valid until the next call with the same slot: callers copy it. */
const char *wb_test_path(const char *rel);
/* A new empty temporary folder (removed by the caller); caller frees with free(). */
char *wb_test_tmpdir(void);
/* The engine's binary of this build (WB_BIN, else out/bin/workbook). */
const char *wb_test_bin(void);
/* Runs a shell command; returns its exit status and, when out is not NULL, its standard
 * output (and error, with merge) in *out, which the caller frees with free(). */
int wb_test_run(const char *cmd, char **out, bool merge_stderr);
/* The same for a command made from fmt, which must exit 0 (else the test fails, with the
 * command and what it said); returns its output, which the caller frees with free(). */
char *wb_test_run_ok(bool merge_stderr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Removes a folder and all it holds (a test's temporary folder); says so when it cannot. */
void wb_test_rmtree(const char *dir);
/* Reads a whole file; NULL when it cannot.  Caller frees. */
char *wb_test_read(const char *path, long *len);
/* True when the program is on PATH. */
bool wb_test_have(const char *program);

/* Runs a suite (CK_NORMAL output, the CK_RUN_SUITE / CK_RUN_CASE choices of check) and
 * returns how many tests failed. */
int wb_test_run_suite(Suite *s);
/* main() of a test program: runs the suite, EXIT_SUCCESS when every test passed. */
int wb_test_main(Suite *s);

struct wb_ctx;
struct wb_diagnostic;
/* An absolute path of a file under tests/data/unit; caller frees with free(). */
char *test_data(const char *rel);
/* The diagnostics of ctx as one line of text, for failure messages; caller frees. */
char *test_diags_text(const struct wb_ctx *ctx);
/* How many diagnostics of a severity contain needle; *first (when not NULL) gets the first. */
int test_count_diags(const struct wb_ctx *ctx, int severity, const char *needle,
                     const struct wb_diagnostic **first);

#endif
