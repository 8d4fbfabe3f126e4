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

    /// A portal page: a site-name <h1> in the logo, a "Tin mới" box marked `box-content` (all
    /// links) before the article, marked only `detail`, whose share bar, tags and related news
    /// are boxes of their own; and a wrapper marked `main-content` around a sidebar of headlines
    /// and the article. The article is the container holding the most prose outside links.
    static let portalPage = """
    <html><head><title>HĐND phường Thủy Phương tổ chức kỳ họp thứ 9 - Cổng thông tin điện tử thị xã</title></head><body>
    <div class="logo"><h1 class="site-name"><a href="/">CỔNG THÔNG TIN ĐIỆN TỬ THỊ XÃ HƯƠNG THỦY</a></h1></div>
    <div class="col-left"><div class="box-content"><b>Tin mới</b><ul>
      <li><a href="/a">Hiến máu tình nguyện năm 2019</a></li><li><a href="/b">Ra quân dọn vệ sinh môi trường</a></li></ul></div></div>
    <div class="col-main"><div class="detail">
      <div class="news-title">HĐND phường Thủy Phương tổ chức kỳ họp thứ 9</div>
      <div class="news-date">Thứ Hai, 24/09/2019 10:30</div>
      <div class="share">Chia sẻ: Facebook | Zalo</div>
      <div class="news-body"><p>Sáng ngày 20/9/2019, HĐND phường Thủy Phương đã tổ chức kỳ họp thứ 9 để xem xét các báo cáo.</p>
      <p>Các đại biểu đã thảo luận và thông qua nghị quyết về nhiệm vụ phát triển kinh tế xã hội.</p></div>
      <div class="tags">Từ khóa: kỳ họp</div>
      <div class="related-news"><a href="/c">Hiến máu tình nguyện đợt 2</a></div>
    </div></div></body></html>
    """

    @Test func theArticleIsTheContainerHoldingTheMostProse() {
        let page = HTMLTextExtractor.extract(Self.portalPage)
        #expect(page.text.hasPrefix("HĐND phường Thủy Phương tổ chức kỳ họp thứ 9\nThứ Hai, 24/09/2019 10:30"), "\(page.text)")
        #expect(page.text.contains("thông qua nghị quyết"))
        for noise in ["Tin mới", "Hiến máu", "Chia sẻ", "Từ khóa", "CỔNG THÔNG TIN"] { #expect(!page.text.contains(noise), "\(noise)") }
        #expect(page.heading == nil)  // the site name's <h1> is the logo
        let meta = MetadataExtractor.extract(text: page.text, htmlTitle: page.title, htmlHeading: page.heading, isHTML: true)
        #expect(meta.title == "HĐND phường Thủy Phương tổ chức kỳ họp thứ 9" && meta.date?.iso == "2019-09-24", "\(meta)")

        let wrapped = HTMLTextExtractor.extract("""
        <html><body><div id="main-content"><div class="box"><b>Tin liên quan khác</b><ul>
          <li><a href="/a">Hiến máu tình nguyện năm 2019 tại phường</a></li><li><a href="/b">Ra quân dọn vệ sinh môi trường xanh</a></li></ul></div>
          <div class="content"><p>Sáng nay, phường Thủy Châu tổ chức hội nghị tiếp xúc cử tri.</p></div></div></body></html>
        """)
        #expect(wrapped.text == "Sáng nay, phường Thủy Châu tổ chức hội nghị tiếp xúc cử tri.", "\(wrapped.text)")
    }

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
