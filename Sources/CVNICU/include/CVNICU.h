#ifndef CVNICU_H
#define CVNICU_H
// ICU-free public header: only <stdint.h>. Swift never sees ICU's own headers, whose types clash
// with Foundation's bundled ICU and whose versioned symbol names are macros (see DEVELOPERS.md).
#include <stdint.h>

/// Character classes the tokenizer needs, from ICU's general category and properties.
typedef enum {
    CVNICU_CLASS_SEPARATOR = 0,  ///< spaces, punctuation, symbols, controls: split tokens
    CVNICU_CLASS_LETTER = 1,     ///< L*: part of a token
    CVNICU_CLASS_DIGIT = 2,      ///< N*: part of a token
    CVNICU_CLASS_MARK = 3,       ///< M*: combining mark, part of the token it follows
    CVNICU_CLASS_IGNORABLE = 4   ///< Default_Ignorable (soft hyphen, ZWSP/ZWJ/ZWNJ, WJ, BOM): skipped, never splits
} cvnicu_char_class;

/// Classifies one code point. The corresponding ICU functions are `u_charType` and `u_hasBinaryProperty`.
cvnicu_char_class cvnicu_classify(uint32_t code_point);

/// NFC-normalizes and lower-cases (Vietnamese rules) `len` UTF-8 bytes into `dst`.
/// Returns the UTF-8 length written, or the length needed if `cap` is too small, or -1 on error
/// (`*status` gets ICU's UErrorCode). Corresponds to `unorm2_normalize` + `u_strToLower(…, "vi")`.
int32_t cvnicu_nfc_lower_utf8(const char *src, int32_t len, char *dst, int32_t cap, int32_t *status);

/// NFC-normalizes `len` UTF-8 bytes into `dst`; returns as `cvnicu_nfc_lower_utf8` does.
/// Corresponds to `unorm2_normalize` with `unorm2_getNFCInstance`.
int32_t cvnicu_nfc_utf8(const char *src, int32_t len, char *dst, int32_t cap, int32_t *status);

/// NFD-normalizes `len` UTF-8 bytes into UTF-32 code points in `dst` (for splitting marks off
/// letters outside the Vietnamese table). Returns the count written or needed, -1 on error.
int32_t cvnicu_nfd_utf32(const char *src, int32_t len, uint32_t *dst, int32_t cap, int32_t *status);

/// NFC-composes UTF-32 code points into UTF-8. Returns the UTF-8 length written or needed, -1 on error.
int32_t cvnicu_nfc_utf32_to_utf8(const uint32_t *src, int32_t count, char *dst, int32_t cap, int32_t *status);

/// ICU's name for an error code (`u_errorName`).
const char *cvnicu_error_name(int32_t status);

#endif
