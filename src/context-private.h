/* The context's private parts, shared by the stages (never by API users). */
#ifndef WB_CONTEXT_PRIVATE_H
#define WB_CONTEXT_PRIVATE_H

#include "workbook/context.h"

struct wb_hyphenator;
struct _PangoFontMap;

struct wb_ctx {
    wb_status status;
    wb_diagnostic *diags;
    size_t ndiags, capdiags;
    char **once_keys;
    size_t nonce, caponce;
    bool quiet;
    long long date;
    long fail_after; /* 0: off */
    /* Caches owned by the context, made on first use by the format stage. */
    struct wb_hyphenator *hyphenator;
    struct _PangoFontMap *fontmap;
};

#endif
