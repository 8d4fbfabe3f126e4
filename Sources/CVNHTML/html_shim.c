// CVNHTML: visible article text from HTML via libxml2 (htmlReadMemory).
// Only this file includes libxml2 headers; the public header stays libxml2-free (STYLE.md 3.7).
#include "CVNHTML.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

// MARK: - Growable byte buffer

typedef struct {
    char *data;
    size_t length;
    size_t capacity;
    int failed;
} buffer;

static int buffer_reserve(buffer *b, size_t extra) {
    if (b->failed) return 0;
    if (b->length + extra + 1 <= b->capacity) return 1;
    size_t cap = b->capacity ? b->capacity : 256;
    while (cap < b->length + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) { b->failed = 1; return 0; }
    b->data = p;
    b->capacity = cap;
    return 1;
}

static void buffer_append(buffer *b, const char *s, size_t n) {
    if (!buffer_reserve(b, n)) return;
    memcpy(b->data + b->length, s, n);
    b->length += n;
    b->data[b->length] = 0;
}

static void buffer_free(buffer *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}

// MARK: - Element classes

static int name_is(const xmlNode *n, const char *name) {
    return n->type == XML_ELEMENT_NODE && n->name && strcasecmp((const char *)n->name, name) == 0;
}

static int name_in(const xmlNode *n, const char *const *names) {
    if (n->type != XML_ELEMENT_NODE || !n->name) return 0;
    for (; *names; names++)
        if (strcasecmp((const char *)n->name, *names) == 0) return 1;
    return 0;
}

// Never visible.
static const char *const hidden_tags[] = {
    "script", "style", "noscript", "template", "head", "iframe", "svg", "object", "embed",
    "canvas", "select", "option", "button", "input", "textarea", "map", NULL
};
// Site chrome around the article, by tag.
static const char *const chrome_tags[] = { "nav", "header", "footer", "aside", "form", NULL };
// Site chrome, by a substring of id or class.
// Chrome anywhere, an article's inside too (headlines of related news, share and comment boxes,
// tags, visit counters).
static const char *const chrome_words[] = {
    "menu", "nav", "footer", "sidebar", "breadcrumb", "related", "lien-quan", "share", "social",
    "comment", "binh-luan", "tags", "tu-khoa", "counter", "thong-ke", NULL
};
// Chrome outside an article only: inside, a header is the article's own.
static const char *const page_chrome_words[] = { "header", "logo", "banner", "site-name", NULL };
// Article containers, by a substring of id or class.
static const char *const content_words[] = {
    "content", "article", "detail", "post", "entry", "news-body", "main", NULL
};
// Paragraph-like blocks: a blank line around them.
static const char *const paragraph_tags[] = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "blockquote", "pre",
    "ul", "ol", "dl", "figure", "main", NULL
};
// Other blocks: a line break around them.
static const char *const line_tags[] = {
    "div", "br", "li", "tr", "dd", "dt", "header", "footer", "address", "figcaption", "hr",
    "caption", "center", "fieldset", "legend", "details", "summary", "body", "html", NULL
};

// Case-insensitive substring search (ASCII).
static int contains_ci(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return 1;
    return 0;
}

// 1 when the id or class attribute of `n` contains one of `words`.
static int attr_has_word(const xmlNode *n, const char *const *words) {
    if (n->type != XML_ELEMENT_NODE) return 0;
    static const char *const attrs[] = { "id", "class", NULL };
    for (const char *const *a = attrs; *a; a++) {
        xmlChar *v = xmlGetProp(n, (const xmlChar *)*a);
        if (!v) continue;
        int hit = 0;
        for (const char *const *w = words; *w && !hit; w++) hit = contains_ci((const char *)v, *w);
        xmlFree(v);
        if (hit) return 1;
    }
    return 0;
}

static int is_root_or_body(const xmlNode *n) { return name_is(n, "html") || name_is(n, "body"); }

// Chrome: navigation, site header/footer, sidebars. Inside the article (`in_article`), a
// <header> or header-classed element is the article's own header and is kept.
static int is_chrome(const xmlNode *n, int in_article) {
    if (n->type != XML_ELEMENT_NODE || is_root_or_body(n)) return 0;
    if (name_in(n, chrome_tags)) return !(in_article && name_is(n, "header"));
    return attr_has_word(n, chrome_words) || (!in_article && attr_has_word(n, page_chrome_words));
}

static int is_content_candidate(const xmlNode *n) {
    if (n->type != XML_ELEMENT_NODE) return 0;
    if (name_is(n, "article") || name_is(n, "main")) return 1;
    return !is_root_or_body(n) && attr_has_word(n, content_words);
}

// MARK: - Text writer: collapses HTML white space, turns blocks into line breaks

typedef struct {
    buffer out;
    int pending_breaks;  // 0, 1 (line break) or 2 (blank line) owed before the next text
    int pending_space;
    int pre_depth;
    int in_article;      // walking inside the chosen article element
} writer;

static void want_breaks(writer *w, int n) {
    if (n > w->pending_breaks) w->pending_breaks = n;
}

static void write_text(writer *w, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t ws = 0;
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f') ws = 1;
        else if (*p == '\n') {
            if (w->pre_depth > 0) { want_breaks(w, 1); p++; continue; }
            ws = 1;
        } else if (p[0] == 0xC2 && p[1] == 0xA0) ws = 2;  // U+00A0 no-break space (&nbsp;)
        if (ws) {
            if (w->pre_depth > 0 && *p != '\r') {
                // Preformatted: keep indentation, after any line break owed.
                if (w->out.length > 0 && w->pending_breaks) {
                    buffer_append(&w->out, w->pending_breaks >= 2 ? "\n\n" : "\n", (size_t)(w->pending_breaks >= 2 ? 2 : 1));
                    w->pending_breaks = 0;
                }
                if (w->out.length > 0) buffer_append(&w->out, " ", 1);
                w->pending_space = 0;
            } else {
                w->pending_space = 1;
            }
            p += ws;
            continue;
        }
        // A run of visible bytes up to the next white space.
        const unsigned char *start = p;
        while (*p && !(*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\n'
                       || (p[0] == 0xC2 && p[1] == 0xA0))) p++;
        if (w->out.length > 0) {
            if (w->pending_breaks) buffer_append(&w->out, w->pending_breaks >= 2 ? "\n\n" : "\n", (size_t)(w->pending_breaks >= 2 ? 2 : 1));
            else if (w->pending_space) buffer_append(&w->out, " ", 1);
        }
        w->pending_breaks = 0;
        w->pending_space = 0;
        buffer_append(&w->out, (const char *)start, (size_t)(p - start));
    }
}

static int block_breaks(const xmlNode *n) {
    if (name_in(n, paragraph_tags)) return 2;
    if (name_in(n, line_tags)) return 1;
    return 0;
}

// Called on entering a node; returns 1 to descend into its children.
static int writer_enter(writer *w, const xmlNode *n) {
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        if (n->content) write_text(w, (const char *)n->content);
        return 0;
    case XML_ELEMENT_NODE:
        break;
    default:
        return 0;  // comments, processing instructions, DTD
    }
    if (name_in(n, hidden_tags) || is_chrome(n, w->in_article)) return 0;
    if (name_is(n, "td") || name_is(n, "th")) w->pending_space = 1;
    int b = block_breaks(n);
    if (b) want_breaks(w, b);
    if (name_is(n, "pre")) w->pre_depth++;
    return 1;
}

static void writer_leave(writer *w, const xmlNode *n) {
    if (n->type != XML_ELEMENT_NODE) return;
    int b = block_breaks(n);
    if (b) want_breaks(w, b);
    if (name_is(n, "td") || name_is(n, "th")) w->pending_space = 1;
    if (name_is(n, "pre") && w->pre_depth > 0) w->pre_depth--;
}

// Iterative pre-order walk (no recursion: hostile pages nest deeply).
static void walk_text(writer *w, xmlNode *root) {
    xmlNode *n = root;
    while (n) {
        int descend = writer_enter(w, n);
        if (descend && n->children) { n = n->children; continue; }
        if (descend) writer_leave(w, n);
        while (n != root && n->next == NULL) {
            n = n->parent;
            writer_leave(w, n);
        }
        if (n == root) break;
        n = n->next;
    }
}

// Whitespace-collapsed text of one element (title, h1); malloc'd, NULL when empty.
static char *collapsed_text(xmlNode *n, size_t *length) {
    writer w;
    memset(&w, 0, sizeof w);
    w.in_article = 1;
    // Headings and titles are inline runs: treat any block inside as a space.
    for (xmlNode *c = n->children; c; c = c->next) walk_text(&w, c);
    if (w.out.failed || w.out.length == 0) { buffer_free(&w.out); *length = 0; return NULL; }
    for (size_t i = 0; i < w.out.length; i++) if (w.out.data[i] == '\n') w.out.data[i] = ' ';
    // Collapse the spaces the line breaks turned into.
    size_t j = 0;
    for (size_t i = 0; i < w.out.length; i++) {
        if (w.out.data[i] == ' ' && j > 0 && w.out.data[j - 1] == ' ') continue;
        w.out.data[j++] = w.out.data[i];
    }
    while (j > 0 && w.out.data[j - 1] == ' ') j--;
    w.out.data[j] = 0;
    *length = j;
    return w.out.data;
}

// MARK: - Finding elements

// Next node in document order after `n`'s subtree (skip = 1) or into it (skip = 0), within `root`.
static xmlNode *next_node(xmlNode *n, xmlNode *root, int skip) {
    if (!skip && n->children) return n->children;
    while (n != root && n->next == NULL) n = n->parent;
    if (n == root) return NULL;
    return n->next;
}

// First element named `name` under `root`, skipping hidden subtrees and, when `skip_chrome`, chrome.
static xmlNode *find_element(xmlNode *root, const char *name, int skip_chrome, int skip_hidden) {
    for (xmlNode *n = root; n; ) {
        if (n->type == XML_ELEMENT_NODE) {
            if (name_is(n, name)) return n;
            int skip = (skip_hidden && name_in(n, hidden_tags)) || (skip_chrome && is_chrome(n, 0))
                       || name_is(n, "svg");
            n = next_node(n, root, skip);
        } else {
            n = next_node(n, root, 1);
        }
    }
    return NULL;
}

// How much of the page's own prose `root` holds: bytes of letters and digits (any byte of a
// non-ASCII character counts) in its visible text outside links and chrome. A box of headlines is
// all links; an article is mostly prose.
// `linked`: the same count inside links.
static size_t prose_weight(xmlNode *root, size_t *linked) {
    size_t weight = 0, in_links = 0;
    for (xmlNode *n = root; n; ) {
        int skip = 1;
        if (n->type == XML_ELEMENT_NODE) {
            skip = name_in(n, hidden_tags) || (n != root && is_chrome(n, 1));
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            size_t k = 0;
            for (const unsigned char *c = n->content; *c; c++)
                if (*c >= 0x80 || (*c >= '0' && *c <= '9') || ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z')) k++;
            int link = 0;
            for (const xmlNode *p = n->parent; p && p != root->parent && !link; p = p->parent) link = name_is(p, "a");
            if (link) in_links += k; else weight += k;
        }
        n = next_node(n, root, skip);
    }
    if (linked) *linked = in_links;
    return weight;
}

static int is_inside(const xmlNode *n, const xmlNode *ancestor) {
    for (; n; n = n->parent) if (n == ancestor) return 1;
    return 0;
}

// The article: among the marked containers outside chrome, the one holding the most prose; then,
// while a marked container inside it holds three fifths of its prose and what the outer one adds
// is mostly links, that one (the article, not a wrapper around it and a box of headlines; the
// article's own headline and date around its body stay). None when the best holds under a third
// of the page's prose (a marked box on a page whose article is unmarked): the page is read then.
static xmlNode *choose_article(xmlNode *top) {
    typedef struct { xmlNode *node; size_t prose, links; } candidate;
    size_t count = 0, capacity = 0;
    candidate *c = NULL;
    for (xmlNode *n = top; n; ) {
        int skip = 0;
        if (n->type != XML_ELEMENT_NODE || name_in(n, hidden_tags) || is_chrome(n, 0)) {
            skip = 1;
        } else if (is_content_candidate(n)) {
            if (count == capacity) {
                capacity = capacity ? 2 * capacity : 16;
                candidate *more = realloc(c, capacity * sizeof *c);
                if (!more) { free(c); return NULL; }
                c = more;
            }
            c[count].node = n;
            c[count].prose = prose_weight(n, &c[count].links);
            count++;
        }
        n = next_node(n, top, skip);
    }
    size_t best = count;
    for (size_t i = 0; i < count; i++) if (c[i].prose > 0 && (best == count || c[i].prose > c[best].prose)) best = i;
    for (int deeper = best < count; deeper; ) {
        deeper = 0;
        for (size_t i = 0; i < count; i++) {
            if (i == best || !is_inside(c[i].node, c[best].node) || c[i].prose * 5 < c[best].prose * 3) continue;
            if (c[best].links - c[i].links > c[best].prose - c[i].prose) { best = i; deeper = 1; break; }
        }
    }
    xmlNode *article = best < count && c[best].prose * 3 >= prose_weight(top, NULL) ? c[best].node : NULL;
    free(c);
    return article;
}

static int has_visible_text(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == ' ' || s[i] == '\n')) return 1;
    return 0;
}

// MARK: - Entry points

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_parser(void) { xmlInitParser(); }

void cvnhtml_result_free(cvnhtml_result *r) {
    if (!r) return;
    free(r->text);
    free(r->title);
    free(r->heading);
    memset(r, 0, sizeof *r);
}

int cvnhtml_extract(const char *html, size_t length, cvnhtml_result *out) {
    memset(out, 0, sizeof *out);
    pthread_once(&init_once, init_parser);
    if (length > (size_t)INT32_MAX) return -1;
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
                  | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE;
    htmlDocPtr doc = htmlReadMemory(length ? html : "", (int)length, NULL, "UTF-8", options);
    if (!doc) {
        // An empty or whitespace-only page has no tree: that is "no text", not a failure.
        out->text = calloc(1, 1);
        return out->text ? 0 : -1;
    }
    xmlNode *top = xmlDocGetRootElement(doc);

    // <title>, wherever the parser put it.
    if (top) {
        xmlNode *t = find_element(top, "title", 0, 0);
        if (t) out->title = collapsed_text(t, &out->title_length);
    }

    // The article, when the page marks one; its text, else the page's.
    xmlNode *article = top ? choose_article(top) : NULL;
    writer w;
    memset(&w, 0, sizeof w);
    if (article) {
        w.in_article = 1;
        walk_text(&w, article);
        if (!w.out.failed && !has_visible_text(w.out.data ? w.out.data : "", w.out.length)) {
            buffer_free(&w.out);
            article = NULL;
        }
    }
    if (!article) {
        memset(&w, 0, sizeof w);
        if (top) walk_text(&w, top);
    }
    if (w.out.failed) { buffer_free(&w.out); xmlFreeDoc(doc); cvnhtml_result_free(out); return -1; }
    if (!w.out.data) { w.out.data = calloc(1, 1); if (!w.out.data) { xmlFreeDoc(doc); cvnhtml_result_free(out); return -1; } }
    out->text = w.out.data;
    out->text_length = w.out.length;

    // First <h1>: the article's own, else one outside the chrome.
    xmlNode *h1 = NULL;
    if (article) h1 = find_element(article, "h1", 0, 1);
    if (!h1 && top) h1 = find_element(top, "h1", 1, 1);
    if (h1) out->heading = collapsed_text(h1, &out->heading_length);

    xmlFreeDoc(doc);
    return 0;
}
