import Testing
@testable import VNIngest

@Suite struct HTMLTextExtractorTests {
    /// A council news page shaped like the scraped sample: menu, search box, article, "other news", footer.
    static let councilPage = """
    <!DOCTYPE html>
    <html><head><meta charset="windows-1258"><title>Thường trực HĐND thị xã làm việc với các phường | HĐND Hương Thủy</title>
    <style>body { color: red }</style><script>var tracking = "Tìm kiếm";</script></head>
    <body class="has-navbar">
    <div id="header"><a href="/">Trang chủ</a><form><input value="Tìm kiếm"></form></div>
    <ul class="main-menu"><li>Giới thiệu</li><li>Tin tức</li></ul>
    <div class="breadcrumb">Trang chủ &gt; Tin tức</div>
    <div class="news-detail">
      <h1>Thường trực HĐND thị xã làm việc với Thường trực HĐND các phường, xã</h1>
      <div class="date">Ngày cập nhật 11/10/2019</div>
      <p>Thực hiện Kế hoạch số 07/KH-TTHĐND ngày 24/9/2019 &amp; chương&nbsp;trình công tác&hellip;</p>
      <script>document.write("quảng cáo")</script>
      <p>Đoàn   làm việc
         với <b>Thường trực</b> HĐND phường <i>Thủy Lương</i>.</p>
      <table><tr><td>Ô 1</td><td>Ô 2</td></tr></table>
    </div>
    <div class="sidebar"><h3>Các tin khác</h3><ul><li>Tin cũ</li></ul></div>
    <footer>Tổng lượt truy cập 2.888.220</footer>
    </body></html>
    """

    @Test func councilPageKeepsOnlyTheArticle() {
        let page = HTMLTextExtractor.extract(Self.councilPage)
        #expect(page.title == "Thường trực HĐND thị xã làm việc với các phường | HĐND Hương Thủy")
        #expect(page.heading == "Thường trực HĐND thị xã làm việc với Thường trực HĐND các phường, xã")
        #expect(page.text == """
        Thường trực HĐND thị xã làm việc với Thường trực HĐND các phường, xã

        Ngày cập nhật 11/10/2019

        Thực hiện Kế hoạch số 07/KH-TTHĐND ngày 24/9/2019 & chương\u{A0}trình công tác…

        Đoàn làm việc với Thường trực HĐND phường Thủy Lương.

        Ô 1 Ô 2
        """.replacingNBSP())
        for gone in ["Trang chủ", "Tìm kiếm", "Giới thiệu", "tracking", "color", "quảng cáo", "Các tin khác", "truy cập"] {
            #expect(!page.text.contains(gone), "\(gone) should be dropped")
        }
    }

    @Test func pageWithoutArticleMarkerDropsChromeOnly() {
        let html = """
        <html><head><title> Báo cáo </title></head><body>
        <nav><a>Trang chủ</a></nav><header><h1>Cổng thông tin HĐND</h1></header>
        <h2>BÁO CÁO</h2><div>Kết quả giám sát<br>năm 2020</div>
        <noscript>Bật JavaScript</noscript><template><p>ẩn</p></template>
        <aside>Liên kết</aside><div id="footer-wrap">Bản quyền</div>
        </body></html>
        """
        let page = HTMLTextExtractor.extract(html)
        #expect(page.text == "BÁO CÁO\n\nKết quả giám sát\nnăm 2020")
        #expect(page.title == "Báo cáo")
        #expect(page.heading == nil, "the only <h1> is the site banner in <header>")
    }

    @Test func articleHeaderIsKeptInsideTheArticle() {
        let html = """
        <body><header class="site-header">Logo</header>
        <article><header class="entry-header"><h1 class="entry-title">Nghị quyết về &quot;biên chế&quot;</h1></header>
        <nav class="post-nav">Bài trước</nav><p>Nội dung</p></article></body>
        """
        let page = HTMLTextExtractor.extract(html)
        #expect(page.heading == "Nghị quyết về \"biên chế\"")
        #expect(page.text == "Nghị quyết về \"biên chế\"\n\nNội dung")
    }

    @Test func emptyMarkerIsPassedOver() {
        // An empty "content" box before the real article must not swallow the page.
        let html = "<body><div class='content-top'> </div><main><p>Văn bản chính</p></main><div>ngoài</div></body>"
        #expect(HTMLTextExtractor.extract(html).text == "Văn bản chính")
    }

    @Test(arguments: [
        ("", ""),
        ("   \n ", ""),
        ("<p>Chỉ một đoạn</p>", "Chỉ một đoạn"),
        ("Văn bản thô không thẻ", "Văn bản thô không thẻ"),
        ("<p>a</p><p></p><p></p><div></div><p>b</p>", "a\n\nb"),
        ("<ul><li>Một</li><li>Hai</li></ul>", "Một\nHai"),
        ("<pre>dòng 1\n  dòng 2</pre>", "dòng 1\n  dòng 2"),
        ("<p>&#7871; &#x1EBF; &lt;b&gt;</p>", "ế ế <b>"),
        ("<p>unclosed <b>bold<p>next", "unclosed bold\n\nnext"),
    ])
    func smallPages(html: String, expected: String) {
        #expect(HTMLTextExtractor.extract(html).text == expected)
    }

    @Test func deepNestingDoesNotCrash() {
        let html = String(repeating: "<div>", count: 5000) + "sâu" + String(repeating: "</div>", count: 5000)
        #expect(HTMLTextExtractor.extract(html).text.contains("sâu"))
    }
}

extension String {
    /// Test helper: the expected literal keeps U+00A0 visible; the extractor turns it into a space.
    fileprivate func replacingNBSP() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{A0}" ? " " : $0 }))
    }
}
