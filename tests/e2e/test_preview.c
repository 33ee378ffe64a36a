/* End-to-end tests of `workbook preview`: the server started on a free port over a copy of a
 * shipped course in a temporary folder, looked at by headless Chromium (`--dump-dom`, the
 * DOM after the page's script ran) and by plain HTTP requests written by hand (so that no
 * client tidies a path that climbs):
 * - the first view: an <img> per page, each image served as PNG, the build time, the
 *   messages' list;
 * - an edit of a module while Chromium has the page open: a new build, and the page the
 *   browser holds shows the new generation with the changed page's new image;
 * - broken XML: its message at file:line:col above the pages, the last good pages kept;
 *   mended, the message goes;
 * - click to source: what is at a point of a page is the course file and line;
 * - language, edition and paper switched by the form (no script) and by the script's POST;
 * - a word changed in a copy of the styles' strings rebuilds the pages that show it;
 * - refusals: "..", absolute paths and symbolic links out of the course folder; the socket
 *   listens on 127.0.0.1 only and no other address of the machine answers. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit/support.h"

/* the course copied and the module edited; make bench sets others */
static const char *course_folder(void)
{
    const char *c = getenv("WB_PREVIEW_COURSE");
    return c && *c ? c : "courses/keeping-promises";
}
static const char *module_file(void)
{
    const char *m = getenv("WB_PREVIEW_MODULE");
    return m && *m ? m : "modules/promises.en.xml";
}

static char *tmp;
static int port;
static pid_t server = -1;
static int server_out = -1;      /* the preview's standard output */
static GString *said;            /* what it printed so far */

/* A port nobody listens on now. */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof a;
    ck_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    ck_assert(getsockname(s, (struct sockaddr *)&a, &n) == 0);
    close(s);
    return ntohs(a.sin_port);
}

/* Reads what the preview printed until `needle` appears after `from` (bytes of `said`) or
 * `seconds` pass; true when it appeared. */
static bool wait_for(const char *needle, size_t from, double seconds)
{
    gint64 end = g_get_monotonic_time() + (gint64)(seconds * 1e6);
    for (;;) {
        if (said->len > from && strstr(said->str + from, needle))
            return true;
        gint64 left = (end - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            return false;
        struct pollfd p = {server_out, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(server_out, buf, sizeof buf);
        if (n <= 0)
            return false;
        g_string_append_len(said, buf, n);
    }
}

/* Starts the preview on the course copy; `styles` NULL: the repository's styles. */
static void start_preview_with(const char *styles)
{
    port = free_port();
    char *course = g_strdup_printf("%s/course/course.xml", tmp);
    char *port_s = g_strdup_printf("%d", port);
    int fds[2];
    ck_assert(pipe(fds) == 0);
    server = fork();
    ck_assert(server >= 0);
    if (server == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (styles)
            execl(wb_test_bin(), "workbook", "preview", course, "--port", port_s, "--styles-dir", styles,
                  (char *)NULL);
        else
            execl(wb_test_bin(), "workbook", "preview", course, "--port", port_s, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    server_out = fds[0];
    g_free(course);
    g_free(port_s);
    ck_assert_msg(wait_for("preview: http://127.0.0.1:", 0, 60), "the preview did not start: %s", said->str);
}

static void start_preview(void) { start_preview_with(NULL); }

static void stop_preview(void)
{
    if (server > 0) {
        kill(server, SIGTERM);
        int st;
        waitpid(server, &st, 0);
        server = -1;
    }
    if (server_out >= 0)
        close(server_out);
    server_out = -1;
    g_string_truncate(said, 0);
}

static void setup(void)
{
    tmp = wb_test_tmpdir();
    said = g_string_new(NULL);
    char *cmd = g_strdup_printf("cp -r '%s' '%s/course'", wb_test_path(course_folder()), tmp);
    ck_assert(system(cmd) == 0);
    g_free(cmd);
    start_preview();
}

static void teardown(void)
{
    stop_preview();
    g_string_free(said, TRUE);
    wb_test_rmtree(tmp);
    free(tmp);
}

/* One request as written (the path is sent as it is); the status, and the body in *body
 * (g_free) when asked. */
static int http_at(const char *host, const char *method, const char *path, char **body)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        close(s);
        return -errno;
    }
    char *req = g_strdup_printf("%s %s HTTP/1.0\r\nHost: %s:%d\r\n\r\n", method, path, host, port);
    ck_assert(write(s, req, strlen(req)) == (ssize_t)strlen(req));
    g_free(req);
    GString *r = g_string_new(NULL);
    char buf[8192];
    ssize_t n;
    while ((n = read(s, buf, sizeof buf)) > 0)
        g_string_append_len(r, buf, n);
    close(s);
    int status = 0;
    sscanf(r->str, "HTTP/1.%*d %d", &status);
    const char *b = strstr(r->str, "\r\n\r\n");
    if (body)
        *body = g_strdup(b ? b + 4 : "");
    g_string_free(r, TRUE);
    return status;
}

static int http(const char *path, char **body) { return http_at("127.0.0.1", "GET", path, body); }

/* The page as Chromium has it after its script ran: `ms` milliseconds after loading; NULL
 * when there is no Chromium. */
static char *chromium_cmd(int ms)
{
    const char *bin = wb_test_have("chromium") ? "chromium" : wb_test_have("chromium-browser") ? "chromium-browser" : NULL;
    if (!bin)
        return NULL;
    return g_strdup_printf("%s --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
                           "--user-data-dir='%s/chromium' --timeout=%d --dump-dom http://127.0.0.1:%d/ 2>/dev/null",
                           bin, tmp, ms, port);
}

static char *dom(int ms)
{
    char *cmd = chromium_cmd(ms);
    ck_assert_msg(cmd != NULL, "no chromium (tools/deps.sh --check-test installs it)");
    char *out = NULL;
    wb_test_run(cmd, &out, false);
    g_free(cmd);
    ck_assert_msg(out && strstr(out, "<main id=\"pages\">"), "chromium gave no page: %s", out ? out : "");
    char *r = g_strdup(out);
    free(out);
    return r;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The value of the first `attr="..."` after `from` in `html` (g_free). */
static char *attr_after(const char *html, const char *from, const char *attr)
{
    const char *p = strstr(html, from);
    char *key = g_strdup_printf("%s=\"", attr);
    p = p ? strstr(p, key) : NULL;
    char *v = NULL;
    if (p) {
        p += strlen(key);
        v = g_strndup(p, strcspn(p, "\""));
    }
    g_free(key);
    return v;
}

static void edit_module(const char *from, const char *to)
{
    char *path = g_strdup_printf("%s/course/%s", tmp, module_file());
    char *text = NULL;
    ck_assert(g_file_get_contents(path, &text, NULL, NULL));
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "\"%s\" is not in the module", from);
    GString *s = g_string_new_len(text, at - text);
    g_string_append(s, to);
    g_string_append(s, at + strlen(from));
    ck_assert(g_file_set_contents(path, s->str, -1, NULL));
    g_string_free(s, TRUE);
    g_free(text);
    g_free(path);
}

START_TEST(first_view)
{
    char *html = dom(3000);
    int figures = count(html, "<figure class=\"page\"");
    ck_assert_int_ge(figures, 4);
    ck_assert_int_eq(count(html, "<img src=\"/page/"), figures);
    ck_assert_ptr_nonnull(strstr(html, "<section id=\"messages\">"));
    ck_assert_msg(strstr(html, "Built in "), "no build time in the page");
    /* the script ran: its zoom buttons are there */
    ck_assert_ptr_nonnull(strstr(html, "id=\"zoom\""));
    /* each image is a PNG */
    char *src = attr_after(html, "id=\"page-2\"", "src");
    ck_assert_ptr_nonnull(src);
    char *png = NULL;
    ck_assert_int_eq(http(src, &png), 200);
    ck_assert(memcmp(png, "\x89PNG", 4) == 0);
    g_free(png);
    g_free(src);
    /* an unknown image is none */
    ck_assert_int_eq(http("/page/1/0000000000000000000000000000000000000000.png", NULL), 404);
    g_free(html);
}
END_TEST

/* ------------------------------------------------------------------ a browser that stays open
 *
 * --dump-dom gives the page at its load event; to see it follow a build, Chromium is driven
 * over its DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ended by a
 * NUL byte, written to its fd 3 and read from its fd 4). */

typedef struct browser {
    pid_t pid;
    int to, from;
    GString *in;   /* what it sent, not yet taken */
    int id;
    char *session;
} browser;

static void browser_send(browser *b, const char *method, const char *params, bool session)
{
    char *m = g_strdup_printf("{\"id\":%d,%s%s%s\"method\":\"%s\",\"params\":%s}", ++b->id,
                              session ? "\"sessionId\":\"" : "", session ? b->session : "", session ? "\"," : "",
                              method, params);
    ck_assert(write(b->to, m, strlen(m) + 1) == (ssize_t)strlen(m) + 1);
    g_free(m);
}

/* The answer to the last message sent (g_free), waiting up to `seconds`; NULL if none. */
static char *browser_answer(browser *b, double seconds)
{
    char *want = g_strdup_printf("{\"id\":%d,", b->id);
    gint64 end = g_get_monotonic_time() + (gint64)(seconds * 1e6);
    char *answer = NULL;
    while (!answer) {
        /* whole messages first */
        char *nul;
        while (!answer && (nul = memchr(b->in->str, 0, b->in->len))) {
            size_t n = (size_t)(nul - b->in->str);
            if (g_str_has_prefix(b->in->str, want))
                answer = g_strndup(b->in->str, n);
            g_string_erase(b->in, 0, (gssize)n + 1);
        }
        if (answer)
            break;
        gint64 left = (end - g_get_monotonic_time()) / 1000;
        struct pollfd p = {b->from, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        char buf[65536];
        ssize_t r = read(b->from, buf, sizeof buf);
        if (r <= 0)
            break;
        g_string_append_len(b->in, buf, r);
    }
    g_free(want);
    return answer;
}

/* A string field of a JSON message ("name":"value"), without unescaping (g_free). */
static char *json_field(const char *json, const char *name)
{
    char *key = g_strdup_printf("\"%s\":\"", name);
    const char *p = json ? strstr(json, key) : NULL;
    char *v = p ? g_strndup(p + strlen(key), strcspn(p + strlen(key), "\"")) : NULL;
    g_free(key);
    return v;
}

static bool browser_open(browser *b, const char *url)
{
    const char *bin = wb_test_have("chromium") ? "chromium" : wb_test_have("chromium-browser") ? "chromium-browser" : NULL;
    if (!bin)
        return false;
    int to[2], from[2];
    ck_assert(pipe(to) == 0 && pipe(from) == 0);
    char *profile = g_strdup_printf("--user-data-dir=%s/chromium-live", tmp);
    b->pid = fork();
    ck_assert(b->pid >= 0);
    if (b->pid == 0) {
        int r = dup(to[0]), w = dup(from[1]); /* above 4, before 3 and 4 are taken */
        dup2(r, 3);
        dup2(w, 4);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        for (int fd = 5; fd < 256; fd++)
            close(fd);
        execlp(bin, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
               "--remote-debugging-pipe", profile, "about:blank", (char *)NULL);
        _exit(127);
    }
    g_free(profile);
    close(to[0]);
    close(from[1]);
    b->to = to[1];
    b->from = from[0];
    b->in = g_string_new(NULL);
    char *params = g_strdup_printf("{\"url\":\"%s\"}", url);
    browser_send(b, "Target.createTarget", params, false);
    g_free(params);
    char *a = browser_answer(b, 60);
    char *target = json_field(a, "targetId");
    g_free(a);
    ck_assert_msg(target != NULL, "chromium opened no page");
    params = g_strdup_printf("{\"targetId\":\"%s\",\"flatten\":true}", target);
    browser_send(b, "Target.attachToTarget", params, false);
    g_free(params);
    g_free(target);
    a = browser_answer(b, 30);
    b->session = json_field(a, "sessionId");
    g_free(a);
    ck_assert_msg(b->session != NULL, "cannot attach to the page");
    return true;
}

/* The string a JavaScript expression gives in the page (g_free), NULL when it gives none. */
static char *browser_eval(browser *b, const char *expr)
{
    GString *p = g_string_new("{\"returnByValue\":true,\"expression\":\"");
    for (const char *c = expr; *c; c++) {
        if (*c == '"' || *c == '\\')
            g_string_append_c(p, '\\');
        g_string_append_c(p, *c);
    }
    g_string_append(p, "\"}");
    browser_send(b, "Runtime.evaluate", p->str, true);
    g_string_free(p, TRUE);
    char *a = browser_answer(b, 30);
    char *v = json_field(a, "value");
    g_free(a);
    return v;
}

static void browser_close(browser *b)
{
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        int st;
        waitpid(b->pid, &st, 0);
    }
    close(b->to);
    close(b->from);
    if (b->in)
        g_string_free(b->in, TRUE);
    g_free(b->session);
}

/* What the page shows: "GENERATION|HASH,HASH,...|LOADED" where LOADED counts the images
 * that finished loading. */
#define PAGE_STATE                                                                                                      \
    "document.body.dataset.generation + '|' + Array.from(document.querySelectorAll('figure.page')).map(function (f) " \
    "{ return f.dataset.hash; }).join(',') + '|' + Array.from(document.images).filter(function (i) { return "       \
    "i.complete && i.naturalWidth > 0; }).length"

START_TEST(live_update)
{
    char *url = g_strdup_printf("http://127.0.0.1:%d/", port);
    browser b = {0};
    size_t mark = said->len;
    ck_assert_msg(browser_open(&b, url), "no chromium (tools/deps.sh --check-test installs it)");
    /* the page's script follows the builds */
    ck_assert_msg(wait_for("a page follows the builds", mark, 30), "the page does not follow: %s", said->str + mark);
    char *before = NULL;
    for (int i = 0; i < 100; i++) {
        g_free(before);
        before = browser_eval(&b, PAGE_STATE);
        char **f = before ? g_strsplit(before, "|", 3) : NULL;
        bool loaded = f && f[2] && atoi(f[2]) == (int)(count(f[1], ",") + 1);
        g_strfreev(f);
        if (loaded)
            break;
        g_usleep(100000);
    }
    ck_assert_ptr_nonnull(before);
    char **b0 = g_strsplit(before, "|", 3);
    /* one character more in a paragraph of the module, while the page is open */
    mark = said->len;
    double t0 = g_get_monotonic_time() / 1e6, t1 = 0;
    edit_module("<para>", "<para>X");
    ck_assert_msg(wait_for(": ok,", mark, 20), "no new build: %s", said->str + mark);
    /* the last build the server made (a save may make two) */
    int last = 0;
    for (const char *p = said->str + mark; (p = strstr(p, "preview: build ")); p++)
        last = MAX(last, atoi(p + strlen("preview: build ")));
    char *after = NULL;
    char **b1 = NULL;
    while (g_get_monotonic_time() / 1e6 - t0 < 20) {
        g_free(after);
        g_strfreev(b1);
        after = browser_eval(&b, PAGE_STATE);
        b1 = after ? g_strsplit(after, "|", 3) : NULL;
        /* that generation, and every image of it loaded */
        if (b1 && b1[2] && atoi(b1[0]) >= last && atoi(b1[2]) == (int)(count(b1[1], ",") + 1)) {
            t1 = g_get_monotonic_time() / 1e6;
            break;
        }
        g_usleep(10000);
    }
    ck_assert_msg(t1 > 0, "the page did not follow the edit: before %s, after %s; %s", before, after, said->str + mark);
    /* the server's own time for the build: "build N: ok, P pages, S s" */
    double server_s = 0;
    for (const char *p = said->str + mark; (p = strstr(p, ": ok, ")); p++) {
        const char *c = strstr(p, " pages, ");
        if (c)
            server_s = g_ascii_strtod(c + 8, NULL);
    }
    fprintf(stderr, "preview: a one-character edit reached the browser in %.3f s (rebuilt in %.3f s)\n", t1 - t0,
            server_s);
    /* every page the browser shows is one of the new build, and one of them changed */
    char *state = NULL;
    ck_assert_int_eq(http("/state.json", &state), 200);
    char **h0 = g_strsplit(b0[1], ",", -1), **h1 = g_strsplit(b1[1], ",", -1);
    int changed = 0;
    for (int i = 0; h1[i]; i++) {
        ck_assert_msg(strstr(state, h1[i]), "page %d of the browser is not of the last build: %s\n%s\n%s", i + 1, before, after, said->str);
        changed += !g_strv_contains((const char *const *)h0, h1[i]);
    }
    ck_assert_int_ge(changed, 1);
    ck_assert_int_lt(changed, (int)g_strv_length(h1));
    /* the build time is in the page */
    char *status = browser_eval(&b, "document.getElementById('status').textContent");
    ck_assert_msg(status && g_str_has_prefix(status, "Built in "), "status: %s", status ? status : "none");
    g_free(status);
    g_strfreev(h0);
    g_strfreev(h1);
    g_strfreev(b0);
    g_strfreev(b1);
    g_free(state);
    g_free(after);
    g_free(before);
    browser_close(&b);
    g_free(url);
}
END_TEST

START_TEST(broken_xml)
{
    char *good = NULL;
    ck_assert_int_eq(http("/", &good), 200);
    int pages = count(good, "<figure class=\"page\"");
    size_t mark = said->len;
    /* an element left open: the parser's message names the module and a line */
    edit_module("</title>", "</titl>");
    ck_assert_msg(wait_for(": failed,", mark, 20), "no failed build: %s", said->str + mark);
    char *html = dom(3000);
    ck_assert_msg(strstr(html, "<li class=\"error\">"), "no error in the page");
    char *li = strstr(html, "<li class=\"error\">");
    ck_assert_msg(strstr(li, "promises.en.xml:") != NULL, "the message names no file: %.300s", li);
    /* file:line:col */
    const char *p = strstr(li, "promises.en.xml:") + strlen("promises.en.xml:");
    int line = 0, col = 0;
    ck_assert_msg(sscanf(p, "%d:%d", &line, &col) == 2 && line > 0 && col > 0, "no line and column: %.200s", li);
    ck_assert_ptr_nonnull(strstr(html, "Failed in "));
    /* the last good pages stay */
    ck_assert_int_eq(count(html, "<figure class=\"page\""), pages);
    g_free(html);
    /* mended, the message goes */
    mark = said->len;
    edit_module("</titl>", "</title>");
    ck_assert_msg(wait_for(": ok,", mark, 20), "no good build after the repair: %s", said->str + mark);
    html = NULL;
    ck_assert_int_eq(http("/", &html), 200);
    ck_assert_ptr_null(strstr(html, "<li class=\"error\">"));
    g_free(html);
    g_free(good);
}
END_TEST

START_TEST(click_to_source)
{
    /* a point in the text of the module's pages */
    char *json = NULL;
    int status = 0;
    for (int i = 0; i < 80 && !(status == 200 && strstr(json, "promises.en.xml")); i++) {
        g_free(json);
        json = NULL;
        char *q = g_strdup_printf("/at?page=%d&x=250&y=%d", 1 + i / 8, 150 + 70 * (i % 8));
        status = http(q, &json);
        g_free(q);
    }
    ck_assert_int_eq(status, 200);
    ck_assert_msg(strstr(json, "promises.en.xml"), "not the module: %s", json);
    ck_assert_msg(strstr(json, "\"uri\":\"file:///"), "no file:// link: %s", json);
    char *file = NULL;
    const char *f = strstr(json, "\"file\":\"");
    ck_assert_ptr_nonnull(f);
    file = g_strndup(f + 8, strcspn(f + 8, "\""));
    const char *l = strstr(json, "\"line\":");
    int line = l ? atoi(l + 7) : 0;
    ck_assert_int_gt(line, 0);
    char *where = g_strdup_printf("\"where\":\"%s:%d\"", file, line);
    ck_assert_msg(strstr(json, where), "no path:line: %s", json);
    /* the line names an element of the course */
    char *text = NULL;
    ck_assert(g_file_get_contents(file, &text, NULL, NULL));
    char **lines = g_strsplit(text, "\n", -1);
    ck_assert_int_ge(g_strv_length(lines), line);
    ck_assert_msg(strchr(lines[line - 1], '<'), "line %d of %s is no element: %s", line, file, lines[line - 1]);
    /* a point on no text names nothing */
    ck_assert_int_eq(http("/at?page=5&x=2&y=2", NULL), 404);
    g_strfreev(lines);
    g_free(text);
    g_free(where);
    g_free(file);
    g_free(json);
}
END_TEST

START_TEST(switches)
{
    /* without script: the form's GET rebuilds before answering */
    char *html = NULL;
    ck_assert_int_eq(http("/?lang=en&edition=participant&paper=A5", &html), 200);
    ck_assert_msg(strstr(html, "data-width=\"419.53\""), "not A5");
    ck_assert_ptr_nonnull(strstr(html, "<option selected>A5</option>"));
    int a5 = count(html, "<figure class=\"page\"");
    g_free(html);
    /* the script's switch: another edition, in place */
    char *state = NULL;
    ck_assert_int_eq(http_at("127.0.0.1", "POST", "/switch?edition=trainer&paper=A4", &state), 200);
    ck_assert_msg(strstr(state, "\"edition\":\"trainer\"") && strstr(state, "\"width\":595.28"), "%s", state);
    g_free(state);
    ck_assert_int_eq(http("/", &html), 200);
    ck_assert_int_ne(count(html, "<figure class=\"page\""), a5);
    ck_assert_ptr_nonnull(strstr(html, "<option selected>trainer</option>"));
    g_free(html);
    /* an edition that is none changes nothing */
    ck_assert_int_eq(http("/?edition=nonsense", &html), 200);
    ck_assert_ptr_nonnull(strstr(html, "<option selected>trainer</option>"));
    g_free(html);
}
END_TEST

START_TEST(styles_change)
{
    /* the styles are inputs too: a copy of them, a word of the strings changed */
    char *cmd = g_strdup_printf("cp -r '%s' '%s/styles'", wb_test_path("styles"), tmp);
    ck_assert(system(cmd) == 0);
    g_free(cmd);
    char *styles = g_strdup_printf("%s/styles", tmp);
    stop_preview();
    start_preview_with(styles);
    char *before = NULL;
    ck_assert_int_eq(http("/state.json", &before), 200);
    char *strings = g_strdup_printf("%s/strings/en.xml", styles);
    char *text = NULL;
    ck_assert(g_file_get_contents(strings, &text, NULL, NULL));
    char *at = strstr(text, ">Contents<");
    ck_assert_ptr_nonnull(at);
    memcpy(at, ">Contenth<", 10);
    size_t mark = said->len;
    ck_assert(g_file_set_contents(strings, text, -1, NULL));
    ck_assert_msg(wait_for(": ok,", mark, 30), "no build after the strings changed: %s", said->str + mark);
    char *after = NULL;
    ck_assert_int_eq(http("/state.json", &after), 200);
    /* the contents page changed, not every page */
    char **h = g_strsplit(after, "\"hash\":\"", -1);
    int changed = 0, pages = 0;
    for (int i = 1; h[i]; i++, pages++) {
        char *one = g_strndup(h[i], 40);
        changed += strstr(before, one) == NULL;
        g_free(one);
    }
    ck_assert_int_ge(changed, 1);
    ck_assert_int_lt(changed, pages);
    g_strfreev(h);
    /* a stylesheet changed is compiled again: A5 by default */
    char *common = g_strdup_printf("%s/common.xsl", styles);
    char *xsl = NULL;
    ck_assert(g_file_get_contents(common, &xsl, NULL, NULL));
    char *param = strstr(xsl, "<xsl:param name=\"paper\" select=\"'A4'\"/>");
    ck_assert_ptr_nonnull(param);
    memcpy(strstr(param, "'A4'"), "'A5'", 4);
    mark = said->len;
    ck_assert(g_file_set_contents(common, xsl, -1, NULL));
    ck_assert_msg(wait_for(": ok,", mark, 30), "no build after the stylesheet changed: %s", said->str + mark);
    g_free(after);
    ck_assert_int_eq(http("/state.json", &after), 200);
    ck_assert_msg(strstr(after, "\"width\":419.53"), "the old stylesheet was applied: %.300s", after);
    g_free(xsl);
    g_free(common);
    g_free(after);
    g_free(text);
    g_free(strings);
    g_free(before);
    g_free(styles);
}
END_TEST

START_TEST(refusals)
{
    char *body = NULL;
    /* what may be read: a file of the course */
    char *mine = g_strdup_printf("/source?path=%s", module_file());
    ck_assert_int_eq(http(mine, &body), 200);
    g_free(mine);
    ck_assert_ptr_nonnull(strstr(body, "<module"));
    g_free(body);
    /* a link to outside the course, a linked folder */
    char *link = g_strdup_printf("%s/course/leak.xml", tmp);
    ck_assert(symlink("/etc/passwd", link) == 0);
    char *dirlink = g_strdup_printf("%s/course/etc", tmp);
    ck_assert(symlink("/etc", dirlink) == 0);
    char *abs = g_strdup_printf("/source?path=%s/course/%s", tmp, module_file());
    const char *refused[] = {
        "/source?path=../../../../../../etc/passwd",
        "/source?path=modules/../../../../../../etc/passwd",
        "/source?path=%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/source?path=/etc/passwd",
        "/source?path=leak.xml",
        "/source?path=etc/passwd",
        "/../../../../etc/passwd",
        "/page/1/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../../etc/passwd",
        "//etc/passwd",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(refused); i++) {
        body = NULL;
        int status = http(refused[i], &body);
        ck_assert_msg(status == 403 || status == 404, "%s: status %d", refused[i], status);
        ck_assert_msg(!strstr(body, "root:"), "%s gave /etc/passwd", refused[i]);
        g_free(body);
    }
    /* an absolute path inside the course is the course's own file */
    ck_assert_int_eq(http(abs, NULL), 200);
    g_free(abs);
    g_free(dirlink);
    g_free(link);
}
END_TEST

START_TEST(loopback_only)
{
    /* the listening socket of the port is bound to 127.0.0.1 (/proc/net/tcp: address and
     * port in hexadecimal, state 0A = LISTEN) and to nothing else */
    char *tcp = NULL;
    ck_assert(g_file_get_contents("/proc/net/tcp", &tcp, NULL, NULL));
    char *mine = g_strdup_printf(":%04X ", port);
    int listening = 0, loopback = 0;
    char **lines = g_strsplit(tcp, "\n", -1);
    for (int i = 1; lines[i]; i++) {
        char local[64] = "", remote[64] = "", state[8] = "";
        if (sscanf(lines[i], " %*d: %63s %63s %7s", local, remote, state) != 3 || strcmp(state, "0A"))
            continue;
        char *p = strchr(local, ':');
        if (!p || strtol(p + 1, NULL, 16) != port)
            continue;
        listening++;
        loopback += !strncmp(local, "0100007F:", 9);
    }
    ck_assert_int_ge(listening, 1);
    ck_assert_int_eq(loopback, listening);
    /* IPv6: nothing on the port at all */
    char *tcp6 = NULL;
    if (g_file_get_contents("/proc/net/tcp6", &tcp6, NULL, NULL))
        ck_assert_msg(!strstr(tcp6, mine), "the preview listens on IPv6");
    /* and no other address of the machine answers */
    struct ifaddrs *ifs = NULL;
    ck_assert(getifaddrs(&ifs) == 0);
    for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
            continue;
        char host[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, host, sizeof host);
        if (g_str_has_prefix(host, "127."))
            continue;
        int status = http_at(host, "GET", "/", NULL);
        ck_assert_msg(status < 0, "the preview answers on %s", host);
    }
    freeifaddrs(ifs);
    g_strfreev(lines);
    g_free(tcp6);
    g_free(mine);
    g_free(tcp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("preview");
    TCase *tc = tcase_create("preview");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, first_view);
    tcase_add_test(tc, broken_xml);
    tcase_add_test(tc, click_to_source);
    tcase_add_test(tc, switches);
    tcase_add_test(tc, styles_change);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, loopback_only);
    suite_add_tcase(s, tc);
    /* apart, for make bench: WB_PREVIEW_COURSE names another course folder to edit */
    TCase *live = tcase_create("live");
    tcase_add_checked_fixture(live, setup, teardown);
    tcase_set_timeout(live, 180);
    tcase_add_test(live, live_update);
    suite_add_tcase(s, live);
    return wb_test_main(s);
}
