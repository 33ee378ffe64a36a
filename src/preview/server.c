/* The preview's HTTP routes, on libsoup's server:
 *   GET /                     the first view (HTML); ?lang=&edition=&paper= rebuild first
 *   GET /app.js, /app.css     the script and the style
 *   GET /state.json           the state the script follows
 *   GET /events               server-sent events: "build" with the state after each build
 *   GET /page/N/HASH.png      a page's image by its content hash (cached for good: a changed
 *                             page has another name)
 *   GET /at?page=N&x=X&y=Y    what is at (X, Y) points on page N: the course file and line
 *   GET /source?path=P        the text of a course or style file (files.c says which)
 *   POST /switch?lang=&edition=&paper=   rebuild with other options, answer the state
 * Anything else is 404; a file outside the course and styles folders is 403. */
#include "preview/preview-private.h"

#include <stdlib.h>
#include <string.h>

struct pv_server {
    pv_state *st;
    SoupServer *soup;
    GPtrArray *streams; /* SoupServerMessage * of open event streams (a reference each) */
    char *uri;
    guint heartbeat;
};

static void answer(SoupServerMessage *msg, guint status, const char *type, char *body)
{
    soup_server_message_set_status(msg, status, NULL);
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
    /* the page loads nothing from elsewhere */
    soup_message_headers_replace(h, "Content-Security-Policy",
                                 "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'");
    if (!strncmp(type, "text/html", 9) || !strncmp(type, "application/json", 16))
        soup_message_headers_replace(h, "Cache-Control", "no-store");
    soup_server_message_set_response(msg, type, SOUP_MEMORY_TAKE, body, body ? strlen(body) : 0);
}

static void refuse(SoupServerMessage *msg, guint status)
{
    answer(msg, status, "text/plain; charset=utf-8",
           g_strdup(status == SOUP_STATUS_FORBIDDEN ? "forbidden\n" : "not found\n"));
}

static const char *query_get(GHashTable *q, const char *name) { return q ? g_hash_table_lookup(q, name) : NULL; }

/* Takes the options a query asks for; true when one changed. */
static bool switch_options(pv_state *st, GHashTable *q)
{
    static const char *const editions[] = {"participant", "trainer", "exercises", "answers", NULL};
    static const char *const papers[] = {"A4", "A5", "letter", NULL};
    bool changed = false;
    const char *v = query_get(q, "edition");
    if (v && g_strv_contains(editions, v) && g_strcmp0(v, st->edition)) {
        g_free(st->edition);
        st->edition = g_strdup(v);
        changed = true;
    }
    v = query_get(q, "paper");
    if (v && g_strv_contains(papers, v) && g_strcmp0(v, st->paper)) {
        g_free(st->paper);
        st->paper = g_strdup(v);
        changed = true;
    }
    v = query_get(q, "lang");
    if (v && st->languages && g_strv_contains((const char *const *)st->languages, v) && g_strcmp0(v, st->lang)) {
        g_free(st->lang);
        st->lang = g_strdup(v);
        changed = true;
    }
    return changed;
}

static void stream_finished(SoupServerMessage *msg, gpointer user)
{
    pv_server *srv = user;
    if (g_ptr_array_remove(srv->streams, msg))
        g_object_unref(msg);
}

static void stream_send(SoupServerMessage *msg, const char *text)
{
    soup_message_body_append(soup_server_message_get_response_body(msg), SOUP_MEMORY_COPY, text, strlen(text));
    soup_server_message_unpause(msg);
}

static void open_stream(pv_server *srv, SoupServerMessage *msg)
{
    soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    soup_message_headers_set_content_type(h, "text/event-stream", NULL);
    soup_message_headers_replace(h, "Cache-Control", "no-store");
    soup_message_headers_set_encoding(h, SOUP_ENCODING_CHUNKED);
    g_ptr_array_add(srv->streams, g_object_ref(msg));
    g_signal_connect(msg, "finished", G_CALLBACK(stream_finished), srv);
    if (srv->st->log) {
        fprintf(srv->st->log, "preview: a page follows the builds (%u open)\n", srv->streams->len);
        fflush(srv->st->log);
    }
    char *state = pv_state_json(srv->st);
    char *first = g_strdup_printf("retry: 500\nevent: build\ndata: %s\n\n", state);
    g_free(state);
    stream_send(msg, first);
    g_free(first);
}

void pv_server_notify(pv_server *srv)
{
    /* the state itself: the page needs no request of its own to learn what changed (the
     * JSON is one line: control characters are escaped) */
    char *state = pv_state_json(srv->st);
    char *ev = g_strdup_printf("event: build\ndata: %s\n\n", state);
    g_free(state);
    for (guint i = 0; i < srv->streams->len; i++)
        stream_send(g_ptr_array_index(srv->streams, i), ev);
    g_free(ev);
}

static gboolean heartbeat(gpointer user)
{
    pv_server *srv = user;
    for (guint i = 0; i < srv->streams->len; i++)
        stream_send(g_ptr_array_index(srv->streams, i), ": still here\n\n");
    return G_SOURCE_CONTINUE;
}

/* GET /page/N/HASH.png */
static void serve_page(pv_server *srv, SoupServerMessage *msg, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = slash ? strrchr(slash, '.') : NULL;
    if (!dot || strcmp(dot, ".png") || dot - slash - 1 != 40) {
        refuse(msg, SOUP_STATUS_NOT_FOUND);
        return;
    }
    char hash[41];
    memcpy(hash, slash + 1, 40);
    hash[40] = 0;
    const pv_page *pg = pv_find_page(srv->st, hash);
    if (!pg) {
        refuse(msg, SOUP_STATUS_NOT_FOUND);
        return;
    }
    soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    soup_message_headers_replace(h, "Cache-Control", "max-age=31536000, immutable");
    soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
    soup_message_headers_set_content_type(h, "image/png", NULL);
    soup_message_body_append_bytes(soup_server_message_get_response_body(msg), pg->png);
}

/* GET /source?path=P: the file's text, when files.c allows it */
static void serve_source(pv_server *srv, SoupServerMessage *msg, GHashTable *q)
{
    char *file = pv_allowed_file(srv->st, query_get(q, "path"));
    char *text = NULL;
    gsize len = 0;
    if (!file || !g_file_get_contents(file, &text, &len, NULL) || len > 16 * 1024 * 1024 ||
        !g_utf8_validate(text, (gssize)len, NULL)) {
        g_free(text);
        g_free(file);
        refuse(msg, SOUP_STATUS_FORBIDDEN);
        return;
    }
    g_free(file);
    answer(msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", text);
}

static void handle(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *q, gpointer user)
{
    pv_server *srv = user;
    pv_state *st = srv->st;
    const char *method = soup_server_message_get_method(msg);
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    /* a path that climbs is refused before anything else */
    if (strstr(path, "..") || strstr(path, "//") || strchr(path, '\\')) {
        refuse(msg, SOUP_STATUS_FORBIDDEN);
        return;
    }
    if (get && !strcmp(path, "/")) {
        if (switch_options(st, q)) {
            pv_rebuild(st);
            pv_server_notify(srv);
        }
        answer(msg, SOUP_STATUS_OK, "text/html; charset=utf-8", pv_html(st));
    } else if (get && !strcmp(path, "/app.js")) {
        answer(msg, SOUP_STATUS_OK, "text/javascript; charset=utf-8", g_strdup(pv_app_js));
    } else if (get && !strcmp(path, "/app.css")) {
        answer(msg, SOUP_STATUS_OK, "text/css; charset=utf-8", g_strdup(pv_app_css));
    } else if (get && !strcmp(path, "/state.json")) {
        answer(msg, SOUP_STATUS_OK, "application/json", pv_state_json(st));
    } else if (get && !strcmp(path, "/events")) {
        open_stream(srv, msg);
    } else if (get && g_str_has_prefix(path, "/page/")) {
        serve_page(srv, msg, path);
    } else if (get && !strcmp(path, "/at")) {
        const char *p = query_get(q, "page"), *x = query_get(q, "x"), *y = query_get(q, "y");
        const char *src = p && x && y ? pv_source_at(st, atoi(p) - 1, g_ascii_strtod(x, NULL), g_ascii_strtod(y, NULL))
                                      : NULL;
        if (src)
            answer(msg, SOUP_STATUS_OK, "application/json", pv_source_json(src));
        else
            answer(msg, SOUP_STATUS_NOT_FOUND, "application/json", g_strdup("{}"));
    } else if (get && !strcmp(path, "/source")) {
        serve_source(srv, msg, q);
    } else if (!strcmp(method, "POST") && !strcmp(path, "/switch")) {
        if (switch_options(st, q)) {
            pv_rebuild(st);
            pv_server_notify(srv);
        }
        answer(msg, SOUP_STATUS_OK, "application/json", pv_state_json(st));
    } else {
        refuse(msg, SOUP_STATUS_NOT_FOUND);
    }
}

pv_server *pv_server_new(pv_state *st, const char *listen, int port, GError **error)
{
    pv_server *srv = g_new0(pv_server, 1);
    srv->st = st;
    srv->streams = g_ptr_array_new();
    srv->soup = soup_server_new("server-header", "workbook-preview", NULL);
    soup_server_add_handler(srv->soup, NULL, handle, srv, NULL);
    GInetAddress *addr = g_inet_address_new_from_string(listen ? listen : "127.0.0.1");
    if (!addr) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "\"%s\" is not an IP address", listen);
        pv_server_free(srv);
        return NULL;
    }
    /* a socket of our own, bound and listening, so that its port is known without asking
     * the server for its URIs (which leaks an address in libsoup 3.2) */
    GSocket *sock = g_socket_new(g_inet_address_get_family(addr), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
    GSocketAddress *sa = g_inet_socket_address_new(addr, (guint16)port);
    g_object_unref(addr);
    bool ok = sock != NULL && g_socket_bind(sock, sa, TRUE, error) && g_socket_listen(sock, error) &&
              soup_server_listen_socket(srv->soup, sock, 0, error);
    g_object_unref(sa);
    GSocketAddress *local = ok ? g_socket_get_local_address(sock, error) : NULL;
    if (sock)
        g_object_unref(sock);
    if (!local) {
        pv_server_free(srv);
        return NULL;
    }
    char *host = g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(local)));
    bool v6 = strchr(host, ':') != NULL;
    srv->uri = g_strdup_printf("http://%s%s%s:%d/", v6 ? "[" : "", host, v6 ? "]" : "",
                               g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local)));
    g_free(host);
    g_object_unref(local);
    srv->heartbeat = g_timeout_add_seconds(15, heartbeat, srv);
    return srv;
}

const char *pv_server_uri(const pv_server *srv) { return srv->uri; }

void pv_server_free(pv_server *srv)
{
    if (!srv)
        return;
    if (srv->heartbeat)
        g_source_remove(srv->heartbeat);
    for (guint i = 0; i < srv->streams->len; i++) {
        SoupServerMessage *msg = g_ptr_array_index(srv->streams, i);
        g_signal_handlers_disconnect_by_data(msg, srv);
        g_object_unref(msg);
    }
    g_ptr_array_free(srv->streams, TRUE);
    if (srv->soup) {
        soup_server_disconnect(srv->soup);
        g_object_unref(srv->soup);
    }
    g_free(srv->uri);
    g_free(srv);
}
