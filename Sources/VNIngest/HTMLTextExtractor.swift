internal import CVNHTML

/// Visible article text of an HTML page, through libxml2's HTML parser (the `CVNHTML` shim).
///
/// Scripts, styles, `<head>` and the site's chrome (navigation, header, footer, sidebars, forms,
/// logos; inside the article, related news, share and comment boxes, tags, visit counters) are
/// dropped; when the page marks containers (`<article>`, `<main>`, or an id/class with "content",
/// "article", "detail", "post", "entry", "news-body", "main"), the one holding the most prose
/// outside links is the article and only its text is kept — a box of headlines marked
/// `box-content` before it does not win. Block elements become line breaks, and entities are
/// decoded.
///
/// ```swift
/// let page = HTMLTextExtractor.extract("<title>Tin</title><nav>Trang chủ</nav><article><h1>Kế hoạch</h1><p>Nội dung &amp; ý kiến</p></article>")
/// // page.text == "Kế hoạch\n\nNội dung & ý kiến", page.title == "Tin", page.heading == "Kế hoạch"
/// ```
public enum HTMLTextExtractor {
    /// Extracts the visible text, the `<title>` and the first `<h1>` of `html`.
    ///
    /// Any `<meta charset>` in the page is ignored: `html` is already decoded.
    /// The corresponding libxml2 function is `htmlReadMemory`. Cost: one parse and a few tree walks (article search, text, first <h1>).
    /// - Parameter html: the page's source.
    /// - Returns: the text (empty when the page shows nothing, or could not be parsed), and the
    ///   title and heading (`nil` when absent or blank).
    public static func extract(_ html: String) -> (text: String, title: String?, heading: String?) {
        var source = html
        var result = cvnhtml_result()
        let status = source.withUTF8 { bytes -> Int32 in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                cvnhtml_extract(chars.baseAddress, chars.count, &result)
            }
        }
        defer { cvnhtml_result_free(&result) }
        guard status == 0 else { return ("", nil, nil) }
        func string(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> String? {
            guard let pointer, count > 0 else { return nil }
            return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
                String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
            }
        }
        return (string(result.text, result.text_length) ?? "",
                string(result.title, result.title_length),
                string(result.heading, result.heading_length))
    }
}
