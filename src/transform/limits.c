/* Stopping a run of a stylesheet: the watchdog (WB_LIMIT_SECONDS), the nodes and the memory
 * counted as libxml2 makes them (WB_LIMIT_NODES, WB_LIMIT_MEMORY).  See run.h. */
#include "transform/run.h"

/* ------------------------------------------------------------------ stopping a run */

/* Stops the run at the next instruction or XPath step (from any thread). */
void tr_stop_run(run *r, stop_reason why)
{
    if (!g_atomic_int_compare_and_exchange(&r->stop, STOP_NONE, why))
        return;
    xsltTransformContextPtr t = r->tctx;
    if (!t)
        return;
    /* a stylesheet node: it lives as long as the stylesheet, after the run too */
    r->stop_inst = __atomic_load_n(&t->inst, __ATOMIC_RELAXED);
    __atomic_store_n(&t->opLimit, 1UL, __ATOMIC_RELAXED);
    if (t->xpathCtxt)
        __atomic_store_n(&t->xpathCtxt->opLimit, 1UL, __ATOMIC_RELAXED);
    /* what an xsl:message terminate="yes" does (libxslt 1.1.35 has no call for it) */
    __atomic_store_n(&t->state, XSLT_STATE_STOPPED, __ATOMIC_RELAXED);
}

static gpointer watchdog_main(gpointer data)
{
    run *r = data;
    unsigned long long secs = wb_ctx_limit(r->ctx, WB_LIMIT_SECONDS);
    gint64 deadline = g_get_monotonic_time() + (gint64)MIN(secs, 1000000000ULL) * G_TIME_SPAN_SECOND;
    g_mutex_lock(&r->lock);
    while (!r->done)
        if (!g_cond_wait_until(&r->cond, &r->lock, deadline))
            break;
    if (!r->done)
        tr_stop_run(r, STOP_TIME);
    g_mutex_unlock(&r->lock);
    return NULL;
}

void tr_watchdog_start(run *r)
{
    if (wb_ctx_limit(r->ctx, WB_LIMIT_SECONDS) == 0)
        return;
    g_mutex_init(&r->lock);
    g_cond_init(&r->cond);
    r->watchdog = g_thread_new("wb-xslt-watchdog", watchdog_main, r);
}

void tr_watchdog_end(run *r)
{
    if (!r->watchdog)
        return;
    g_mutex_lock(&r->lock);
    r->done = true;
    g_cond_signal(&r->cond);
    g_mutex_unlock(&r->lock);
    g_thread_join(r->watchdog);
    r->watchdog = NULL;
    g_cond_clear(&r->cond);
    g_mutex_clear(&r->lock);
}

/* Every node libxml2 makes in this thread during a run (the result, temporary trees, the
 * documents document() loads) is counted. */
void tr_count_node(xmlNodePtr node)
{
    run *r = tr_current;
    if (r && ++r->nodes > r->node_limit && r->node_limit)
        tr_stop_run(r, STOP_NODES);
}

/* libxml2's memory, counted for the run of this thread: malloc_usable_size needs no header,
 * so memory from before the functions were set, or freed with free(), mixes safely.  Over
 * the limit the run is stopped; over twice the limit (one XPath step can ask for much at
 * once) an allocation fails, which libxml2 reports as running out of memory. */
static bool memory_refused(run *r, size_t more)
{
    if (!r || !r->memory_limit)
        return false;
    /* memory from before the run freed during it makes the count go below 0 */
    long long after = r->memory + (long long)MIN(more, (size_t)LLONG_MAX / 4);
    if (after > 0 && (unsigned long long)after > r->memory_limit)
        tr_stop_run(r, STOP_MEMORY);
    return after > 0 && (unsigned long long)after / 2 > r->memory_limit;
}

void *tr_counted_malloc(size_t n)
{
    run *r = tr_current;
    if (memory_refused(r, n))
        return NULL;
    void *p = malloc(n);
    if (p && r)
        r->memory += (long long)malloc_usable_size(p);
    return p;
}

void *tr_counted_realloc(void *p, size_t n)
{
    run *r = tr_current;
    size_t old = p && r ? malloc_usable_size(p) : 0;
    if (n > old && memory_refused(r, n - old))
        return NULL;
    void *q = realloc(p, n);
    if (q && r)
        r->memory += (long long)malloc_usable_size(q) - (long long)old;
    return q;
}

void tr_counted_free(void *p)
{
    run *r = tr_current;
    if (p && r)
        r->memory -= (long long)malloc_usable_size(p);
    free(p);
}

char *tr_counted_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = tr_counted_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}
