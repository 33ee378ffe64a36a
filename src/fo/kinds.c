/* The kinds of formatting object and their names, for building the tree and for messages.
 * Hands wb_fo_kind_name (fo.h) and fo_kind_of (fo-private.h) to the files above it. */
#include "fo/fo-private.h"

#include <string.h>

static const char *const kind_names[FO_KIND_COUNT] = {
    [FO_UNKNOWN] = "?",
    [FO_TEXT] = "#text",
    [FO_ROOT] = "root",
    [FO_LAYOUT_MASTER_SET] = "layout-master-set",
    [FO_SIMPLE_PAGE_MASTER] = "simple-page-master",
    [FO_REGION_BODY] = "region-body",
    [FO_REGION_BEFORE] = "region-before",
    [FO_REGION_AFTER] = "region-after",
    [FO_REGION_START] = "region-start",
    [FO_REGION_END] = "region-end",
    [FO_PAGE_SEQUENCE_MASTER] = "page-sequence-master",
    [FO_SINGLE_PAGE_MASTER_REFERENCE] = "single-page-master-reference",
    [FO_REPEATABLE_PAGE_MASTER_REFERENCE] = "repeatable-page-master-reference",
    [FO_REPEATABLE_PAGE_MASTER_ALTERNATIVES] = "repeatable-page-master-alternatives",
    [FO_CONDITIONAL_PAGE_MASTER_REFERENCE] = "conditional-page-master-reference",
    [FO_DECLARATIONS] = "declarations",
    [FO_PAGE_SEQUENCE] = "page-sequence",
    [FO_TITLE] = "title",
    [FO_STATIC_CONTENT] = "static-content",
    [FO_FLOW] = "flow",
    [FO_BLOCK] = "block",
    [FO_BLOCK_CONTAINER] = "block-container",
    [FO_INLINE] = "inline",
    [FO_WRAPPER] = "wrapper",
    [FO_BASIC_LINK] = "basic-link",
    [FO_PAGE_NUMBER] = "page-number",
    [FO_PAGE_NUMBER_CITATION] = "page-number-citation",
    [FO_PAGE_NUMBER_CITATION_LAST] = "page-number-citation-last",
    [FO_LEADER] = "leader",
    [FO_LIST_BLOCK] = "list-block",
    [FO_LIST_ITEM] = "list-item",
    [FO_LIST_ITEM_LABEL] = "list-item-label",
    [FO_LIST_ITEM_BODY] = "list-item-body",
    [FO_TABLE] = "table",
    [FO_TABLE_COLUMN] = "table-column",
    [FO_TABLE_HEADER] = "table-header",
    [FO_TABLE_FOOTER] = "table-footer",
    [FO_TABLE_BODY] = "table-body",
    [FO_TABLE_ROW] = "table-row",
    [FO_TABLE_CELL] = "table-cell",
    [FO_EXTERNAL_GRAPHIC] = "external-graphic",
    [FO_INSTREAM_FOREIGN_OBJECT] = "instream-foreign-object",
    [FO_MARKER] = "marker",
    [FO_RETRIEVE_MARKER] = "retrieve-marker",
    [FO_FOOTNOTE] = "footnote",
    [FO_FOOTNOTE_BODY] = "footnote-body",
    [FO_BOOKMARK_TREE] = "bookmark-tree",
    [FO_BOOKMARK] = "bookmark",
    [FO_BOOKMARK_TITLE] = "bookmark-title",
    [FO_CHARACTER] = "character",
};

const char *wb_fo_kind_name(wb_fo_kind kind)
{
    return kind < FO_KIND_COUNT && kind_names[kind] ? kind_names[kind] : "?";
}

wb_fo_kind fo_kind_of(const char *name)
{
    for (int k = FO_ROOT; k < FO_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (wb_fo_kind)k;
    return FO_UNKNOWN;
}

