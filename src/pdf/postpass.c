/* The PDF post-pass on libqpdf's C API; see postpass.h.  No C++ is needed: qpdf-c.h's
 * object handles (qpdf_oh_*) reach everything this stage reads or changes.
 *
 * qpdf reads cairo's file with recovery off: a file whose cross-reference table cannot be read
 * is an error rather than something qpdf rebuilds by scanning.  An object qpdf cannot read is
 * a warning, and null.  The stage first walks the object graph from the trailer (with the
 * qpdf_oh functions and a stack of its own, no recursion: outline items chain through /Next),
 * which reads every object the output is made of and tells which objects are reachable; then
 * it writes, and qpdf reads the remaining, unreachable objects.  The warnings are sorted out
 * at the end:
 *
 *   - cairo 1.16 reserves objects for its link annotations (the entries of each page's
 *     parent-tree array), lists them in the xref table at the offset of some other object, and
 *     never writes them.  Only those arrays refer to them, and nothing refers to the arrays.
 *     qpdf says "expected N G obj" when it reads them while writing.  That warning about an
 *     object that is not reachable is expected and dropped: the writer leaves unreachable
 *     objects out, so nothing of them reaches the output.  The same warning while walking is
 *     about an object the output needs (qpdf would leave a page's /Contents out, say): damage.
 *   - cairo 1.16 names an image drawn twice on a page twice in the page's /XObject resources
 *     (with the same object, the name being made from its number).  qpdf says "dictionary has
 *     duplicated key /xN" and keeps one.  Expected when the object is a resource dictionary
 *     and the key one of its resources.
 *   - anything else is damage, and an error: nothing is written. */
#include "pdf/postpass.h"
#include "pdf/boxes.h"
#include "pdf/fields.h"
#include "pdf/pdfa.h"
#include "pdf/tags.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <qpdf/qpdf-c.h>

/* The keys of a resource dictionary (ISO 32000-1, table 33). */
static const char *const resource_categories[] = {
    "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font", "/ProcSet", "/Properties",
};

/* One of qpdf's warnings, copied out of the qpdf_data. */
typedef struct {
    int code;     /* enum qpdf_error_code_e */
    int id, gen;  /* the object it names, 0 0 if none */
    char *detail; /* the message alone */
    char *text;   /* the message with the object and offset */
    bool late;    /* given while writing, after every reachable object had been read */
} warning;

static void warning_clear(void *w)
{
    g_free(((warning *)w)->detail);
    g_free(((warning *)w)->text);
}

typedef struct {
    wb_ctx *ctx;
    qpdf_data q;
    const char *name;    /* the file's name in diagnostics; NULL: the path concerned */
    GHashTable *visited; /* reachable objects: id << 16 | generation, as gint64 keys */
    GArray *warnings;    /* of warning: qpdf's, copied out as they come */
    char *input;         /* the input file's bytes, which qpdf reads from; owned */
    gsize input_len;
} postpass;

static gint64 *objkey(int id, int gen)
{
    gint64 *k = g_new(gint64, 1);
    *k = ((gint64)id << 16) | (gen & 0xffff);
    return k;
}

static bool is_reachable(postpass *p, int id, int gen)
{
    gint64 k = ((gint64)id << 16) | (gen & 0xffff);
    return g_hash_table_contains(p->visited, &k);
}

/* qpdf's text of an error or warning without the file name it starts with (ours is given
 * separately), e.g. "object 4 0, offset 15: expected 4 0 obj".  Caller frees with g_free. */
static char *qpdf_text(postpass *p, qpdf_error e, const char *path)
{
    const char *full = qpdf_get_error_full_text(p->q, e);
    if (!full)
        return g_strdup("unknown qpdf error");
    size_t n = strlen(path);
    if (n && !strncmp(full, path, n)) {
        full += n;
        if (full[0] == ':' && full[1] == ' ')
            full += 2;
        else if (full[0] == ' ' && full[1] == '(') {
            const char *close = strstr(full, "): ");
            if (close)
                return g_strdup_printf("%.*s: %s", (int)(close - full - 2), full + 2, close + 3);
        }
    }
    return g_strdup(full);
}

/* Records qpdf's pending error, if any, on the context.  Returns the status it set. */
static wb_status take_error(postpass *p, const char *path, const char *what)
{
    qpdf_error e = qpdf_get_error(p->q);
    if (!e) {
        wb_error(p->ctx, WB_ERR_INTERNAL, p->name, 0, 0, "%s: qpdf failed without saying why", what);
        return WB_ERR_INTERNAL;
    }
    wb_status st = qpdf_get_error_code(p->q, e) == qpdf_e_system ? WB_ERR_IO : WB_ERR_INTERNAL;
    char *text = qpdf_text(p, e, path);
    wb_error(p->ctx, st, p->name, 0, 0, "%s: %s", what, text);
    g_free(text);
    return st;
}

/* ------------------------------------------------------------------ reachability */

/* Pushes oh when it can lead to further objects (an indirect reference, an array, a
 * dictionary, a stream); releases it otherwise. */
static void push_if_container(postpass *p, GArray *stack, qpdf_oh oh)
{
    if (qpdf_oh_is_indirect(p->q, oh) || qpdf_oh_is_array(p->q, oh) || qpdf_oh_is_dictionary(p->q, oh))
        g_array_append_val(stack, oh);
    else
        qpdf_oh_release(p->q, oh);
}

/* Every indirect object reachable from the trailer into p->visited.  Reading them is where qpdf
 * finds (and warns about) damage in the objects the output is made of. */
static void walk(postpass *p)
{
    qpdf_data q = p->q;
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(qpdf_oh));
    qpdf_oh trailer = qpdf_get_trailer(q);
    g_array_append_val(stack, trailer);
    while (stack->len > 0) {
        qpdf_oh oh = g_array_index(stack, qpdf_oh, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        if (qpdf_oh_is_indirect(q, oh)) {
            int id = qpdf_oh_get_object_id(q, oh), gen = qpdf_oh_get_generation(q, oh);
            if (is_reachable(p, id, gen)) {
                qpdf_oh_release(q, oh);
                continue;
            }
            g_hash_table_add(p->visited, objkey(id, gen));
        }
        switch (qpdf_oh_get_type_code(q, oh)) {
        case ot_stream:
            push_if_container(p, stack, qpdf_oh_get_dict(q, oh));
            break;
        case ot_array: {
            int n = qpdf_oh_get_array_n_items(q, oh);
            for (int i = 0; i < n; i++)
                push_if_container(p, stack, qpdf_oh_get_array_item(q, oh, i));
            break;
        }
        case ot_dictionary:
            /* the key iterator is the qpdf_data's only one: children are pushed, not walked,
             * so it is never nested */
            qpdf_oh_begin_dict_key_iter(q, oh);
            while (qpdf_oh_dict_more_keys(q)) {
                const char *key = qpdf_oh_dict_next_key(q);
                push_if_container(p, stack, qpdf_oh_get_key(q, oh, key));
            }
            break;
        default:
            break;
        }
        qpdf_oh_release(q, oh);
    }
    g_array_free(stack, TRUE);
}

/* ------------------------------------------------------------------ cairo's quirks */

/* "expected N G obj" while writing, about an object that is not reachable from the trailer:
 * one of cairo's reserved, never written objects, which the output leaves out.  (When a
 * reachable object refers to a missing one, the warning comes while walking: qpdf reads the
 * values of a dictionary to leave out its null ones, and a missing object is null.) */
static bool is_unwritten_reserved(postpass *p, const warning *w)
{
    int id, gen, end = 0;
    if (!w->late || sscanf(w->detail, "expected %d %d obj%n", &id, &gen, &end) != 2 || w->detail[end] != '\0')
        return false;
    return !is_reachable(p, id, gen);
}

/* "dictionary has duplicated key /K; ..." in an object that is a resource dictionary (nothing
 * but resource categories as keys) with /K among its resources. */
static bool is_repeated_resource(postpass *p, const warning *w)
{
    static const char prefix[] = "dictionary has duplicated key /";
    if (strncmp(w->detail, prefix, sizeof prefix - 1) || w->id <= 0)
        return false;
    const char *k = w->detail + sizeof prefix - 2; /* from the '/' */
    char *key = g_strndup(k, strcspn(k, "; "));
    qpdf_data q = p->q;
    qpdf_oh res = qpdf_get_object_by_id(q, w->id, w->gen);
    bool only_categories = qpdf_oh_is_dictionary(q, res), found = false;
    if (only_categories) {
        qpdf_oh_begin_dict_key_iter(q, res);
        while (qpdf_oh_dict_more_keys(q)) {
            const char *rk = qpdf_oh_dict_next_key(q);
            bool known = false;
            for (size_t i = 0; i < G_N_ELEMENTS(resource_categories); i++)
                known = known || !strcmp(rk, resource_categories[i]);
            only_categories = only_categories && known;
        }
    }
    for (size_t i = 0; only_categories && !found && i < G_N_ELEMENTS(resource_categories); i++) {
        qpdf_oh sub = qpdf_oh_get_key_if_dict(q, res, resource_categories[i]);
        found = qpdf_oh_is_dictionary(q, sub) && qpdf_oh_has_key(q, sub, key);
        qpdf_oh_release(q, sub);
    }
    qpdf_oh_release(q, res);
    g_free(key);
    return found;
}

/* Copies qpdf's pending warnings into p->warnings; late: given while writing. */
static void take_warnings(postpass *p, const char *path, bool late)
{
    qpdf_data q = p->q;
    while (qpdf_more_warnings(q)) {
        qpdf_error e = qpdf_next_warning(q);
        warning w = {.code = qpdf_get_error_code(q, e), .late = late};
        const char *full = qpdf_get_error_full_text(q, e);
        const char *o = full ? strstr(full, "(object ") : NULL;
        if (!o || sscanf(o, "(object %d %d", &w.id, &w.gen) != 2)
            w.id = w.gen = 0;
        const char *detail = qpdf_get_error_message_detail(q, e);
        w.detail = g_strdup(detail ? detail : "");
        w.text = qpdf_text(p, e, path);
        g_array_append_val(p->warnings, w);
    }
}

/* Goes through the warnings: cairo's known quirks are dropped, anything else is damage and
 * recorded as one error (the first warning and how many more there are).  Returns the status
 * set. */
static wb_status sort_warnings(postpass *p)
{
    const char *first = NULL;
    int damage = 0;
    for (guint i = 0; i < p->warnings->len; i++) {
        const warning *w = &g_array_index(p->warnings, warning, i);
        bool quirk = w->code == qpdf_e_damaged_pdf && (is_unwritten_reserved(p, w) || is_repeated_resource(p, w));
        if (!quirk && damage++ == 0)
            first = w->text;
    }
    if (!damage)
        return WB_OK;
    if (damage > 1)
        wb_error(p->ctx, WB_ERR_INTERNAL, p->name, 0, 0, "the PDF is damaged: %s (and %d more)", first,
                 damage - 1);
    else
        wb_error(p->ctx, WB_ERR_INTERNAL, p->name, 0, 0, "the PDF is damaged: %s", first);
    return WB_ERR_INTERNAL;
}

/* ------------------------------------------------------------------ the catalog */

/* The catalog's /Lang: a PDF text string, printable ASCII as it is, anything else UTF-16BE
 * with a byte order mark. */
static wb_status set_lang(postpass *p, const char *path, const char *lang)
{
    qpdf_data q = p->q;
    qpdf_oh root = qpdf_get_root(q);
    if (!qpdf_oh_is_dictionary(q, root)) {
        qpdf_oh_release(q, root);
        if (qpdf_has_error(q))
            return take_error(p, path, "cannot read the document catalog");
        wb_error(p->ctx, WB_ERR_INTERNAL, p->name, 0, 0, "the PDF has no document catalog");
        return WB_ERR_INTERNAL;
    }
    bool ascii = true;
    for (const unsigned char *c = (const unsigned char *)lang; *c; c++)
        ascii = ascii && *c >= 0x20 && *c < 0x7f;
    qpdf_oh value;
    if (ascii) {
        value = qpdf_oh_new_string(q, lang);
    } else {
        gsize n = 0;
        GError *err = NULL;
        char *utf16 = g_convert(lang, -1, "UTF-16BE", "UTF-8", NULL, &n, &err);
        if (!utf16) {
            wb_error(p->ctx, WB_ERR_INTERNAL, p->name, 0, 0, "the document language \"%s\": %s", lang,
                     err->message);
            g_error_free(err);
            qpdf_oh_release(q, root);
            return WB_ERR_INTERNAL;
        }
        char *bytes = g_malloc(n + 2);
        bytes[0] = '\xfe'; /* the byte order mark, U+FEFF */
        bytes[1] = '\xff';
        memcpy(bytes + 2, utf16, n);
        value = qpdf_oh_new_binary_string(q, bytes, n + 2);
        g_free(bytes);
        g_free(utf16);
    }
    qpdf_oh_replace_key(q, root, "/Lang", value);
    qpdf_oh_release(q, value);
    qpdf_oh_release(q, root);
    if (qpdf_has_error(q))
        return take_error(p, path, "cannot set the document language");
    return WB_OK;
}

/* ------------------------------------------------------------------ the stage */

static wb_status write_file(postpass *p, const char *out_path, const unsigned char *data, size_t len)
{
    const char *name = p->name ? p->name : out_path;
    FILE *f = fopen(out_path, "wb");
    if (!f) {
        wb_error(p->ctx, WB_ERR_IO, name, 0, 0, "cannot write: %s", strerror(errno));
        return WB_ERR_IO;
    }
    int err = 0;
    errno = 0;
    if (fwrite(data, 1, len, f) != len)
        err = errno ? errno : EIO;
    if (fclose(f) != 0 && !err)
        err = errno ? errno : EIO;
    if (err) {
        unlink(out_path);
        wb_error(p->ctx, WB_ERR_IO, name, 0, 0, "cannot write: %s", strerror(err));
        return WB_ERR_IO;
    }
    return WB_OK;
}

wb_status wb_pdf_postpass(wb_ctx *ctx, const char *in_path, const char *out_path, const wb_pdf_options *opts)
{
    static const wb_pdf_options defaults = {0};
    if (!opts)
        opts = &defaults;
    postpass p = {.ctx = ctx, .name = opts->name};
    if (!in_path || !out_path) {
        wb_error(ctx, WB_ERR_INTERNAL, p.name, 0, 0, "PDF post-pass: no %s file", in_path ? "output" : "input");
        return WB_ERR_INTERNAL;
    }
    /* until the output is written, diagnostics are about the input */
    if (!p.name)
        p.name = in_path;
    const char *lang = opts->lang && *opts->lang ? opts->lang : NULL;
    if (lang && !g_utf8_validate(lang, -1, NULL)) {
        wb_error(ctx, WB_ERR_INTERNAL, p.name, 0, 0, "the document language is not UTF-8");
        return WB_ERR_INTERNAL;
    }

    wb_status st = WB_OK;
    p.q = qpdf_init();
    p.visited = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    p.warnings = g_array_new(FALSE, TRUE, sizeof(warning));
    g_array_set_clear_func(p.warnings, warning_clear);
    qpdf_data q = p.q;
    /* we check every call ourselves, and print nothing: qpdf's messages go to the context */
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    /* a cross-reference table that cannot be read is damage, not something to rebuild */
    qpdf_set_attempt_recovery(q, QPDF_FALSE);
    /* read whole, then parsed from memory: qpdf reading a file seeks and reads a few bytes
     * at a time, about three system calls per object */
    GError *gerr = NULL;
    if (!g_file_get_contents(in_path, &p.input, &p.input_len, &gerr)) {
        wb_error(ctx, WB_ERR_IO, p.name, 0, 0, "cannot read the PDF: %s", gerr->message);
        g_error_free(gerr);
        st = WB_ERR_IO;
        goto done;
    }
    if (qpdf_read_memory(q, in_path, p.input, (unsigned long long)p.input_len, NULL) & QPDF_ERRORS) {
        st = take_error(&p, in_path, "cannot read the PDF");
        goto done;
    }
    if (qpdf_is_encrypted(q)) {
        /* cairo never encrypts; qpdf's deterministic /ID cannot be had with encryption */
        wb_error(ctx, WB_ERR_INTERNAL, p.name, 0, 0, "cannot read the PDF: it is encrypted");
        st = WB_ERR_INTERNAL;
        goto done;
    }
    walk(&p);
    take_warnings(&p, in_path, false);
    if (qpdf_has_error(q)) {
        st = take_error(&p, in_path, "cannot read the PDF");
        goto done;
    }
    if (lang && (st = set_lang(&p, in_path, lang)) != WB_OK)
        goto done;
    /* the steps that add to the document, each in a file of its own */
    if (opts->field_count && (st = wb_pdf_add_fields(ctx, q, p.name, opts)) != WB_OK)
        goto done;
    if (opts->tag_count && (st = wb_pdf_tag_structure(ctx, q, p.name, opts)) != WB_OK)
        goto done;
    if (opts->pdfa && (st = wb_pdf_make_pdfa(ctx, q, p.name)) != WB_OK)
        goto done;
    if (opts->boxes && !wb_pdf_set_boxes(q, opts->boxes, opts->box_count)) {
        st = take_error(&p, in_path, "cannot set the page boxes");
        goto done;
    }
    /* over the input itself when it is the output (it was read whole), else in memory so that
     * out_path is touched only once the file is whole */
    bool in_place = !strcmp(in_path, out_path);
    if ((in_place ? qpdf_init_write(q, out_path) : qpdf_init_write_memory(q)) & QPDF_ERRORS) {
        st = take_error(&p, in_path, "cannot write the PDF");
        goto done;
    }
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    /* a structure tree is thousands of small objects: in object streams (PDF 1.5, which cairo's
     * files are) they take a third of the room */
    if (opts->tag_count)
        qpdf_set_object_stream_mode(q, qpdf_o_generate);
    if (qpdf_write(q) & QPDF_ERRORS) {
        st = take_error(&p, in_path, "cannot rewrite the PDF");
        if (in_place)
            unlink(out_path);
        goto done;
    }
    take_warnings(&p, in_path, true);
    if ((st = sort_warnings(&p)) != WB_OK) {
        if (in_place)
            unlink(out_path);
        goto done;
    }
    p.name = opts->name;
    if (!in_place)
        st = write_file(&p, out_path, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
done:
    g_hash_table_destroy(p.visited);
    g_array_free(p.warnings, TRUE);
    qpdf_cleanup(&p.q);
    g_free(p.input);
    return st;
}
