/* /TrimBox and /BleedBox of each page, on libqpdf's C API.  See boxes.h. */
#include "pdf/boxes.h"

static qpdf_oh box_array(qpdf_data q, const double r[4])
{
    qpdf_oh a = qpdf_oh_new_array(q);
    for (int i = 0; i < 4; i++) {
        qpdf_oh v = qpdf_oh_new_real_from_double(q, r[i], 3);
        qpdf_oh_append_item(q, a, v);
        qpdf_oh_release(q, v);
    }
    return a;
}

bool wb_pdf_set_boxes(qpdf_data q, const wb_pdf_page_boxes *boxes, size_t count)
{
    int pages = qpdf_get_num_pages(q);
    if (pages < 0)
        return false;
    for (int i = 0; i < pages && (size_t)i < count; i++) {
        const wb_pdf_page_boxes *b = &boxes[i];
        if (b->trim[2] <= b->trim[0])
            continue;
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        qpdf_oh trim = box_array(q, b->trim), bleed = box_array(q, b->bleed);
        qpdf_oh_replace_key(q, page, "/TrimBox", trim);
        qpdf_oh_replace_key(q, page, "/BleedBox", bleed);
        qpdf_oh_release(q, trim);
        qpdf_oh_release(q, bleed);
        qpdf_oh_release(q, page);
    }
    return !qpdf_has_error(q);
}
