// Why this file exists: the only place that includes ICU headers. It exposes plain C functions
// over code points and UTF-8, so Swift code never imports ICU (see CVNICU.h).
#include "CVNICU.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

cvnicu_char_class cvnicu_classify(uint32_t cp) {
    if (u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
        // Combining grapheme joiner and variation selectors are default-ignorable marks: still ignorable.
        return CVNICU_CLASS_IGNORABLE;
    }
    switch (u_charType((UChar32)cp)) {
    case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER: case U_OTHER_LETTER:
        return CVNICU_CLASS_LETTER;
    case U_DECIMAL_DIGIT_NUMBER: case U_LETTER_NUMBER: case U_OTHER_NUMBER:
        return CVNICU_CLASS_DIGIT;
    case U_NON_SPACING_MARK: case U_ENCLOSING_MARK: case U_COMBINING_SPACING_MARK:
        return CVNICU_CLASS_MARK;
    default:
        return CVNICU_CLASS_SEPARATOR;
    }
}

// UTF-8 → UTF-16 into a malloc'd buffer; caller frees.
static UChar *to_utf16(const char *src, int32_t len, int32_t *out_len, UErrorCode *st) {
    int32_t need = 0;
    UErrorCode probe = U_ZERO_ERROR;
    u_strFromUTF8WithSub(NULL, 0, &need, src, len, 0xFFFD, NULL, &probe);
    if (probe != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(probe)) { *st = probe; return NULL; }
    UChar *buf = (UChar *)malloc(sizeof(UChar) * (size_t)(need + 1));
    if (!buf) { *st = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    u_strFromUTF8WithSub(buf, need + 1, out_len, src, len, 0xFFFD, NULL, st);
    if (U_FAILURE(*st)) { free(buf); return NULL; }
    return buf;
}

int32_t cvnicu_nfc_lower_utf8(const char *src, int32_t len, char *dst, int32_t cap, int32_t *status) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    UChar *s16 = to_utf16(src, len, &n16, &st);
    if (!s16) { *status = st; return -1; }
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);  // shared instance: never closed
    int32_t cap16 = n16 * 3 + 16;
    UChar *n = (UChar *)malloc(sizeof(UChar) * (size_t)cap16);
    UChar *l = (UChar *)malloc(sizeof(UChar) * (size_t)cap16);
    int32_t out = -1;
    if (n && l && U_SUCCESS(st)) {
        int32_t nn = unorm2_normalize(nfc, s16, n16, n, cap16, &st);
        int32_t nl = U_SUCCESS(st) ? u_strToLower(l, cap16, n, nn, "vi", &st) : 0;
        // Lower-casing can decompose nothing in Vietnamese, but re-compose to stay NFC in general.
        int32_t nn2 = U_SUCCESS(st) ? unorm2_normalize(nfc, l, nl, n, cap16, &st) : 0;
        if (U_SUCCESS(st)) {
            int32_t n8 = 0;
            u_strToUTF8(dst, cap, &n8, n, nn2, &st);
            if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) st = U_ZERO_ERROR;
            if (U_SUCCESS(st)) out = n8;
        }
    }
    free(s16); free(n); free(l);
    *status = st;
    return out;
}

/* NFC of `n16` UTF-16 units, written to `dst` as UTF-8 (a normalization buffer of `cap16` units);
   returns the UTF-8 length, or -1 with `st` set. The shared NFC instance is never closed. */
static int32_t nfc_to_utf8(const UChar *s16, int32_t n16, int32_t cap16, char *dst, int32_t cap, UErrorCode *st) {
    const UNormalizer2 *nfc = unorm2_getNFCInstance(st);
    UChar *n = (UChar *)malloc(sizeof(UChar) * (size_t)cap16);
    int32_t out = -1;
    if (n && U_SUCCESS(*st)) {
        int32_t nn = unorm2_normalize(nfc, s16, n16, n, cap16, st);
        if (U_SUCCESS(*st)) {
            int32_t n8 = 0;
            u_strToUTF8(dst, cap, &n8, n, nn, st);
            if (*st == U_BUFFER_OVERFLOW_ERROR || *st == U_STRING_NOT_TERMINATED_WARNING) *st = U_ZERO_ERROR;
            if (U_SUCCESS(*st)) out = n8;
        }
    }
    free(n);
    return out;
}

int32_t cvnicu_nfc_utf8(const char *src, int32_t len, char *dst, int32_t cap, int32_t *status) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    UChar *s16 = to_utf16(src, len, &n16, &st);
    if (!s16) { *status = st; return -1; }
    int32_t out = nfc_to_utf8(s16, n16, n16 * 3 + 16, dst, cap, &st);
    free(s16);
    *status = st;
    return out;
}

int32_t cvnicu_nfd_utf32(const char *src, int32_t len, uint32_t *dst, int32_t cap, int32_t *status) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    UChar *s16 = to_utf16(src, len, &n16, &st);
    if (!s16) { *status = st; return -1; }
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    int32_t cap16 = n16 * 4 + 16;
    UChar *d = (UChar *)malloc(sizeof(UChar) * (size_t)cap16);
    int32_t out = -1;
    if (d && U_SUCCESS(st)) {
        int32_t nd = unorm2_normalize(nfd, s16, n16, d, cap16, &st);
        if (U_SUCCESS(st)) {
            int32_t n32 = 0;
            u_strToUTF32((UChar32 *)dst, cap, &n32, d, nd, &st);
            if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) st = U_ZERO_ERROR;
            if (U_SUCCESS(st)) out = n32;
        }
    }
    free(s16); free(d);
    *status = st;
    return out;
}

int32_t cvnicu_nfc_utf32_to_utf8(const uint32_t *src, int32_t count, char *dst, int32_t cap, int32_t *status) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF32(NULL, 0, &n16, (const UChar32 *)src, count, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) st = U_ZERO_ERROR;
    if (U_FAILURE(st)) { *status = st; return -1; }
    UChar *s16 = (UChar *)malloc(sizeof(UChar) * (size_t)(n16 + 1));
    int32_t out = -1;
    if (s16) {
        u_strFromUTF32(s16, n16 + 1, NULL, (const UChar32 *)src, count, &st);
        if (U_SUCCESS(st)) out = nfc_to_utf8(s16, n16, n16 + 16, dst, cap, &st);
    }
    free(s16);
    *status = st;
    return out;
}

const char *cvnicu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }
