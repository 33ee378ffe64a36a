/* Pages drawn on a thread of their own while the formatter goes on.  See page/relay.h. */
#include "page/relay.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <glib.h>

struct wb_page_relay {
    wb_page_sink to;
    /* POSIX threads rather than GLib's: sanitizers see through these (GLib's mutexes are
     * futexes of its own) */
    pthread_t thread;
    pthread_mutex_t lock;   /* over everything below */
    pthread_cond_t changed; /* a page came, went, or the relay is closing */
    GQueue waiting; /* of wb_page *, owned, in document order */
    int depth;      /* how many may wait */
    bool drawing;   /* the thread has a page out of the queue */
    bool closing;
    wb_status status; /* the first failure of to.page */
};

/* The size of the relay thread's stack for signal handlers. */
#define FAULT_STACK (64 * 1024)

static void *relay_main(void *data)
{
    wb_page_relay *r = data;
    /* a fault here (a stack overflowed by a library failing to allocate) runs the program's
     * handler on a stack of its own, as on the main thread: the alternate stack is per thread */
    stack_t fault = {.ss_sp = malloc(FAULT_STACK), .ss_size = FAULT_STACK};
    if (fault.ss_sp && sigaltstack(&fault, NULL) != 0) {
        free(fault.ss_sp);
        fault.ss_sp = NULL;
    }
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (g_queue_is_empty(&r->waiting) && !r->closing)
            pthread_cond_wait(&r->changed, &r->lock);
        wb_page *page = g_queue_pop_head(&r->waiting);
        if (!page)
            break;
        r->drawing = true;
        bool failed = r->status != WB_OK;
        pthread_mutex_unlock(&r->lock);
        /* after a failure the pages still queued are only freed */
        wb_status st = failed ? WB_OK : r->to.page(r->to.data, page);
        wb_page_free(page);
        pthread_mutex_lock(&r->lock);
        r->drawing = false;
        if (st != WB_OK && r->status == WB_OK)
            r->status = st;
        pthread_cond_broadcast(&r->changed);
    }
    pthread_mutex_unlock(&r->lock);
    if (fault.ss_sp) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        free(fault.ss_sp);
    }
    return NULL;
}

static wb_status relay_page(void *data, const wb_page *page)
{
    wb_page_relay *r = data;
    wb_page *copy = wb_page_copy(page);
    pthread_mutex_lock(&r->lock);
    while ((int)g_queue_get_length(&r->waiting) >= r->depth && r->status == WB_OK)
        pthread_cond_wait(&r->changed, &r->lock);
    wb_status st = r->status;
    if (st == WB_OK) {
        g_queue_push_tail(&r->waiting, copy);
        copy = NULL;
        pthread_cond_broadcast(&r->changed);
    }
    pthread_mutex_unlock(&r->lock);
    wb_page_free(copy);
    return st;
}

/* Waits until every page given is through; returns the first failure. */
static wb_status drain(wb_page_relay *r)
{
    pthread_mutex_lock(&r->lock);
    while (!g_queue_is_empty(&r->waiting) || r->drawing)
        pthread_cond_wait(&r->changed, &r->lock);
    wb_status st = r->status;
    pthread_mutex_unlock(&r->lock);
    return st;
}

static wb_status relay_restart(void *data)
{
    wb_page_relay *r = data;
    wb_status st = drain(r);
    /* the thread waits for a page: the sink is the caller's until the next one */
    return st != WB_OK ? st : r->to.restart(r->to.data);
}

wb_page_relay *wb_page_relay_new(const wb_page_sink *to, int depth)
{
    wb_page_relay *r = g_new0(wb_page_relay, 1);
    r->to = *to;
    r->depth = depth > 0 ? depth : 1;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->changed, NULL);
    g_queue_init(&r->waiting);
    if (pthread_create(&r->thread, NULL, relay_main, r) != 0) {
        pthread_cond_destroy(&r->changed);
        pthread_mutex_destroy(&r->lock);
        g_free(r);
        return NULL;
    }
    return r;
}

wb_page_sink wb_page_relay_sink(wb_page_relay *relay)
{
    return (wb_page_sink){relay_page, relay, relay->to.restart ? relay_restart : NULL};
}

wb_status wb_page_relay_finish(wb_page_relay *relay)
{
    pthread_mutex_lock(&relay->lock);
    relay->closing = true;
    pthread_cond_broadcast(&relay->changed);
    pthread_mutex_unlock(&relay->lock);
    pthread_join(relay->thread, NULL);
    wb_status st = relay->status;
    pthread_cond_destroy(&relay->changed);
    pthread_mutex_destroy(&relay->lock);
    g_free(relay);
    return st;
}
