#ifndef CVNHTML_H
#define CVNHTML_H
/*
 * CVNHTML: visible article text from an HTML page, through libxml2's HTML parser.
 *
 * Why this shim exists: Swift must not see libxml2's headers (they drag in system ICU and clash
 * with Foundation's _FoundationICU, see STYLE.md 3.7), so this header includes only <stdint.h>
 * and <stddef.h>; html_shim.c alone includes libxml2. The wrapped libxml2 function is
 * `htmlReadMemory`.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What cvnhtml_extract returns. Every non-NULL pointer is malloc'd, NUL-terminated UTF-8;
 * release all of them with cvnhtml_result_free. */
typedef struct cvnhtml_result {
    /* Visible text: one line per block element, at most one blank line in a row. Never NULL on success. */
    char *text;
    size_t text_length;
    /* <title> text, whitespace collapsed; NULL when the page has none. */
    char *title;
    size_t title_length;
    /* First <h1> text (of the article when there is one), whitespace collapsed; NULL when none. */
    char *heading;
    size_t heading_length;
} cvnhtml_result;

/* Parses `length` bytes of UTF-8 HTML (any <meta charset> is ignored: the caller already decoded)
 * and fills `out`. Drops <script>, <style>, <noscript>, <template>, <head> (but reads <title>),
 * and page chrome: <nav>, <header>, <footer>, <aside>, <form> and elements whose id or class
 * contains menu, nav, footer, header, sidebar or breadcrumb. When the page marks an article
 * (<article>, <main>, or id/class containing content, article, news-detail or post), only the
 * first such element that has visible text is kept.
 * Returns 0 on success, -1 when libxml2 could not build a tree or memory ran out (`out` is then
 * zeroed). The corresponding libxml2 function is `htmlReadMemory`. */
int cvnhtml_extract(const char *html, size_t length, cvnhtml_result *out);

/* Frees what cvnhtml_extract stored in `result` and zeroes it. Safe on a zeroed result. */
void cvnhtml_result_free(cvnhtml_result *result);

#ifdef __cplusplus
}
#endif
#endif /* CVNHTML_H */
