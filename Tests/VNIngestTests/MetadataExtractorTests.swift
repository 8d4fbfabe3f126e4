import Testing
@testable import VNIngest

/// The head of the scraped council news item /work/shared/samples/000_78ba6d9c07d610cf.txt.
let scrapedNewsItem = """
Tìm kiếm
Thường trực HĐND thị xã làm việc với Thường trực HĐND các phường, xã về tình hình hoạt động trong 9 tháng đầu năm
Ngày cập nhật 11/10/2019

Thực hiện Luật tổ chức chính quyền địa phương, Nghị quyết về nhiệm vụ phát triển kinh tế - xã hội năm 2019 và Chương trình công tác của Thường trực HĐND thị xã năm 2019, Thường trực HĐND thị xã triển khai Kế hoạch số 07/KH-TTHĐND ngày 24/9/2019 về làm việc với Thường trực HĐND, các Ban HĐND các phường, xã.

Làm việc với Thường trực HĐND phường Thủy Lương
"""

/// A formal plan laid out as council documents are (two-column header flattened to lines).
let formalPlan = """
HỘI ĐỒNG NHÂN DÂN
THỊ XÃ HƯƠNG THỦY
THƯỜNG TRỰC
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 07/KH-TTHĐND
Hương Thủy, ngày 24 tháng 9 năm 2019

KẾ HOẠCH
Làm việc với Thường trực HĐND các phường, xã
về tình hình hoạt động 9 tháng đầu năm 2019

Thực hiện Chương trình công tác năm 2019, Thường trực HĐND thị xã xây dựng Kế hoạch như sau:
"""

/// The same plan in NFD (decomposed) with Windows line ends.
let formalPlanNFD = String(String.UnicodeScalarView(formalPlan.decomposedForTest().unicodeScalars))
    .replacingLineEnds()

extension String {
    /// NFD by hand for the letters used here (stdlib has no public normalizer without Foundation).
    func decomposedForTest() -> String {
        let map: [Unicode.Scalar: [Unicode.Scalar]] = [
            "à": ["a", "\u{300}"], "ạ": ["a", "\u{323}"], "ộ": ["o", "\u{323}", "\u{302}"], "ồ": ["o", "\u{302}", "\u{300}"],
            "ủ": ["u", "\u{309}"], "Ố": ["O", "\u{302}", "\u{301}"],
            "Ạ": ["A", "\u{323}"], "Ế": ["E", "\u{302}", "\u{301}"], "ố": ["o", "\u{302}", "\u{301}"],
            "ế": ["e", "\u{302}", "\u{301}"], "ệ": ["e", "\u{323}", "\u{302}"], "ì": ["i", "\u{300}"],
            "ă": ["a", "\u{306}"], "ứ": ["u", "\u{31B}", "\u{301}"],
        ]
        var out = String.UnicodeScalarView()
        for s in unicodeScalars { out.append(contentsOf: map[s] ?? [s]) }
        return String(out)
    }
    func replacingLineEnds() -> String {
        String(String.UnicodeScalarView(unicodeScalars.flatMap { $0 == "\n" ? ["\r", "\n"] : [$0] as [Unicode.Scalar] }))
    }
}

@Suite struct DateExtractionTests {
    @Test(arguments: [
        ("Ngày cập nhật 11/10/2019", "2019-10-11"),
        ("Thường trực HĐND triển khai Kế hoạch số 07/KH-TTHĐND ngày 24/9/2019 về làm việc", "2019-09-24"),
        ("Hương Thủy, ngày 24 tháng 9 năm 2019", "2019-09-24"),
        ("Hà Nội, ngày 05 tháng 3 năm 2021", "2021-03-05"),
        ("Ngày 5/3/2021", "2021-03-05"),
        ("NGÀY 5 THÁNG 3 NĂM 2021", "2021-03-05"),
        ("Huế, ngày  05  tháng  03  năm  2021", "2021-03-05"),
        ("ngay 24/09/2019", "2019-09-24"),
        ("Ngày ban hành: 01-12-2020", "2020-12-01"),
        ("Ngày đăng: 29.02.2020", "2020-02-29"),
        ("Thứ sáu, 11/10/2019 08:30", "2019-10-11"),
        ("Nga\u{300}y 5 tha\u{301}ng 3 na\u{306}m 2021", "2021-03-05"),  // NFD
    ])
    func dateForms(line: String, iso: String) {
        #expect(MetadataExtractor.date(text: line)?.iso == iso)
    }

    @Test(arguments: [
        "Không có ngày tháng nào ở đây",
        "ngày 31/2/2019",                   // no such day
        "ngày 12/13/2019",                  // no month 13
        "Nghị quyết số 12/2020/NQ-HĐND",    // a number, not a date
        "Điện thoại 0234.3.861 234",
        "ngày 24/9/19",                     // two-digit year
        "",
    ])
    func notDates(line: String) {
        #expect(MetadataExtractor.date(text: line) == nil)
    }

    @Test func firstDateWins() {
        #expect(MetadataExtractor.date(text: scrapedNewsItem)?.iso == "2019-10-11")
        #expect(MetadataExtractor.date(text: formalPlan)?.iso == "2019-09-24")
        #expect(MetadataExtractor.date(text: formalPlanNFD)?.iso == "2019-09-24")
    }

    /// A news item's own date line, however the site writes it, comes before the event date of
    /// its first sentence ("Sáng ngày 20/8/2019").
    @Test(arguments: ["Thứ Hai, 24/09/2019 10:30", "24/09/2019 10:30 AM", "Đăng lúc: 24/09/2019 - 10:30", "Cập nhật: 24/9/2019",
                      "Thứ Hai, 24/9/2019 | 10:30 GMT+7", "Cập nhật: 10:30 | 24/09/2019", "Ngày đăng: 2019-09-24", "2019-09-24 10:30"])
    func aNewsItemsDateLineWins(line: String) {
        let text = "Tìm kiếm\nHĐND phường Thủy Phương tổ chức kỳ họp thứ 9\n\(line)\nSáng ngày 20/8/2019, HĐND phường đã họp để xem xét các báo cáo về tình hình kinh tế xã hội của phường."
        #expect(MetadataExtractor.date(text: text)?.iso == "2019-09-24")
    }

    @Test func lookOnlyAtTheHead() {
        let late = String(repeating: "Dòng văn bản không có gì.\n", count: 200) + "ngày 1/1/2020"
        #expect(MetadataExtractor.date(text: late) == nil)
    }
}

@Suite struct NumberExtractionTests {
    @Test(arguments: [
        ("Số: 07/KH-TTHĐND", "07/KH-TTHĐND"),
        ("Số 15/BC-UBND", "15/BC-UBND"),
        ("SỐ:15/BC-UBND.", "15/BC-UBND"),
        ("Kế hoạch số 07/KH-TTHĐND ngày 24/9/2019", "07/KH-TTHĐND"),
        ("Nghị quyết số 12/2020/NQ-HĐND của HĐND tỉnh", "12/2020/NQ-HĐND"),
        ("Căn cứ Quyết định số 1234/QĐ-UBND, ngày 2/3/2020", "1234/QĐ-UBND"),
        ("So\u{302}\u{301}: 07/KH-TTHĐND", "07/KH-TTHĐND"),  // NFD "Số"
        ("Số: 07 /KH-UBND\t\tThủy Vân, ngày 03 tháng 02 năm 2022", "07/KH-UBND"),  // spaces beside the slash
        ("Số: 07/ KH-UBND", "07/KH-UBND"),
        ("Số: 12 / 2020 / NQ-HĐND", "12/2020/NQ-HĐND"),
    ])
    func numberForms(line: String, number: String) {
        #expect(MetadataExtractor.number(text: line) == number)
    }

    @Test(arguments: ["Có 15/20 đại biểu, số 15/20 tham dự", "Số liệu thống kê", "Tổng số: 120", "", "có số 15 / 20 đại biểu",
                      "Số:      /KH-UBND"])
    func notNumbers(line: String) {
        #expect(MetadataExtractor.number(text: line) == nil)
    }

    @Test func headerLineWinsOverMention() {
        let text = "Căn cứ Nghị quyết số 12/2020/NQ-HĐND\nSố: 15/BC-UBND\nBÁO CÁO"
        #expect(MetadataExtractor.number(text: text) == "15/BC-UBND")
        #expect(MetadataExtractor.number(text: formalPlan) == "07/KH-TTHĐND")
        #expect(MetadataExtractor.number(text: formalPlanNFD)?.unicodeScalars.elementsEqual("07/KH-TTHĐND".unicodeScalars) == true)
        #expect(MetadataExtractor.number(text: scrapedNewsItem) == "07/KH-TTHĐND")
    }

    /// A plan's header as typed in many councils: spaces beside the number's slash, or number and
    /// day left blank to be written in by hand; its subject cites a resolution by number and date.
    /// The plan keeps its own kind, number and date; the resolution's are not taken.
    @Test func aPlanCitingAResolutionKeepsItsOwnHeader() {
        let subject = "\nKẾ HOẠCH\nTriển khai thực hiện Nghị quyết số 12/NQ-HĐND ngày 05/3/2021 của HĐND xã\nI. MỤC ĐÍCH\n"
        let title = "Kế hoạch Triển khai thực hiện Nghị quyết số 12/NQ-HĐND ngày 05/3/2021 của HĐND xã"
        let spaced = MetadataExtractor.extract(text: "Số: 07 /KH-UBND\t\t\tThủy Vân, ngày 03 tháng 02 năm 2022" + subject)
        #expect(spaced == DocumentMetadata(title: title, date: DocumentDate(year: 2022, month: 2, day: 3), number: "07/KH-UBND", kind: .plan))
        let blank = MetadataExtractor.extract(text: "Số:      /KH-UBND\t\t\tThủy Vân, ngày      tháng 02 năm 2022" + subject)
        #expect(blank == DocumentMetadata(title: title, date: DocumentDate(year: 2022, month: 2, day: 1), number: nil, kind: .plan))
    }

    /// A news item that reports on a plan mentions the plan's number; the item itself has none.
    @Test func aNewsItemDoesNotTakeTheNumberItMentions() {
        let news = MetadataExtractor.extract(text: scrapedNewsItem)
        #expect(news.kind == .news && news.number == nil)
        let plan = MetadataExtractor.extract(text: formalPlan)
        #expect(plan.kind == .plan && plan.number == "07/KH-TTHĐND")
        // A plan whose first line names it by its number keeps it.
        let named = MetadataExtractor.extract(text: "Kế hoạch số 07/KH-TTHĐND ngày 24/9/2019\nVề việc làm việc với các phường", folder: "ke-hoach")
        #expect(named.kind == .plan && named.number == "07/KH-TTHĐND")
    }
}

@Suite struct KindTests {
    @Test(arguments: [
        ("07/KH-TTHĐND", DocumentKind.plan), ("15/BC-UBND", .report), ("12/2020/NQ-HĐND", .resolution),
        ("1234/QĐ-UBND", .other),
    ])
    func numberCode(number: String, kind: DocumentKind) {
        #expect(MetadataExtractor.kind(number: number, text: "Nội dung", folder: "") == kind)
    }

    @Test(arguments: [
        ("KẾ HOẠCH\nLàm việc với các phường", DocumentKind.plan),
        ("BÁO CÁO\nKết quả giám sát", .report),
        ("NGHỊ QUYẾT\nVề dự toán ngân sách", .resolution),
        ("HỘI ĐỒNG NHÂN DÂN\nBÁO CÁO KẾT QUẢ GIÁM SÁT NĂM 2020\nNội dung", .report),
        ("Báo cáo tình hình kinh tế - xã hội quý I", .report),
        ("Kế hoạch tổ chức kỳ họp thứ 10", .plan),
        ("Thông báo lịch tiếp công dân", .other),
    ])
    func headingWords(text: String, kind: DocumentKind) {
        #expect(MetadataExtractor.kind(number: nil, text: text, folder: "") == kind)
    }

    @Test(arguments: [
        ("ke-hoach", DocumentKind.plan), ("2019/kehoach", .plan), ("plans/2019", .plan),
        ("bao-cao", .report), ("reports", .report), ("nghi-quyet/2020", .resolution),
        ("resolutions", .resolution), ("tin-tuc", .news), ("news/hoat-dong", .news),
        ("Kế hoạch", .plan), ("van-ban/khac", .other), ("", .other),
    ])
    func folders(folder: String, kind: DocumentKind) {
        #expect(MetadataExtractor.kind(number: nil, text: "Nội dung văn bản", folder: folder) == kind)
    }

    @Test func rulesInOrder() {
        // The number code beats the folder.
        #expect(MetadataExtractor.kind(number: "15/BC-UBND", text: "Số: 15/BC-UBND", folder: "ke-hoach") == .report)
        // The heading beats the folder.
        #expect(MetadataExtractor.kind(number: nil, text: "NGHỊ QUYẾT\nVề …", folder: "tin-tuc") == .resolution)
        // A news item that only mentions a plan's number is news, not a plan.
        #expect(MetadataExtractor.kind(number: "07/KH-TTHĐND", text: scrapedNewsItem, folder: "") == .news)
        #expect(MetadataExtractor.kind(number: nil, text: scrapedNewsItem, folder: "") == .news)
        // A formal plan published as HTML is still a plan.
        #expect(MetadataExtractor.kind(number: "07/KH-TTHĐND", text: formalPlan, folder: "", isHTML: true) == .plan)
        #expect(MetadataExtractor.kind(number: nil, text: "Hoạt động tiếp xúc cử tri", folder: "", isHTML: true) == .news)
        #expect(MetadataExtractor.extract(text: formalPlanNFD).kind == .plan)
    }
}

@Suite struct TitleTests {
    @Test func scrapedNewsItemSkipsSearchBox() {
        #expect(MetadataExtractor.title(text: scrapedNewsItem)
            == "Thường trực HĐND thị xã làm việc với Thường trực HĐND các phường, xã về tình hình hoạt động trong 9 tháng đầu năm")
    }

    /// A report written in Markdown: its header lines in bold, the heading and subject as headings.
    /// The marks are not part of the lines, so the header is passed over as in a plain text.
    @Test func markdownMarksAroundLinesAreNotTheirs() {
        let report = """
        **ỦY BAN NHÂN DÂN — CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
        **XÃ HƯƠNG THỌ — Độc lập - Tự do - Hạnh phúc**
        **Số: 40/BC-UBND — Hương Thọ, ngày 18 tháng 8 năm 2019**

        # BÁO CÁO
        ## Tình hình thực hiện dự toán ngân sách năm 2019

        Căn cứ Luật Ngân sách nhà nước năm 2015, UBND xã báo cáo như sau:
        """
        #expect(MetadataExtractor.extract(text: report) == DocumentMetadata(
            title: "Báo cáo Tình hình thực hiện dự toán ngân sách năm 2019", date: DocumentDate(year: 2019, month: 8, day: 18),
            number: "40/BC-UBND", kind: .report))
    }

    /// Soft hyphens and zero-width spaces inside words are not kept in a title (the text keeps them).
    @Test func invisibleCharactersLeaveTheTitle() {
        #expect(MetadataExtractor.title(text: "Kết quả giải quyết kiến ngh\u{AD}ị cử tri phư\u{AD}ờng Thuỷ\u{AD} Châu")
            == "Kết quả giải quyết kiến nghị cử tri phường Thuỷ Châu")
        #expect(MetadataExtractor.title(text: "NGHỊ QUYẾT\nVề Đề án chuyển đổi s\u{200B}ố giai đoạn 2022 - 2025")
            == "Nghị quyết về Đề án chuyển đổi số giai đoạn 2022 - 2025")
    }

    /// A plan published as a page whose <h1> is the site's section: titled from its text.
    @Test func aFormalDocumentPageIsTitledFromItsText() {
        let text = "Số: 07/KH-UBND\nThủy Vân, ngày 05 tháng 3 năm 2021\nKẾ HOẠCH\nTổ chức tiếp xúc cử tri trước Kỳ họp thứ 2\nI. MỤC ĐÍCH"
        let meta = MetadataExtractor.extract(text: text, htmlTitle: "Văn bản chỉ đạo điều hành | UBND xã Thủy Vân",
                                             htmlHeading: "Văn bản chỉ đạo điều hành", isHTML: true)
        #expect(meta.title == "Kế hoạch Tổ chức tiếp xúc cử tri trước Kỳ họp thứ 2" && meta.kind == .plan && meta.number == "07/KH-UBND", "\(meta)")
    }

    @Test func formalHeadingJoinsSubject() {
        #expect(MetadataExtractor.title(text: formalPlan)
            == "Kế hoạch Làm việc với Thường trực HĐND các phường, xã về tình hình hoạt động 9 tháng đầu năm 2019")
        #expect(MetadataExtractor.title(text: formalPlanNFD)?.hasPrefix("Kế hoạch Làm việc với") == true)
        #expect(MetadataExtractor.title(text: "UBND TỈNH THỪA THIÊN HUẾ\nSố: 3/NQ-HĐND\nNGHỊ QUYẾT\nVề việc thông qua dự toán")
            == "Nghị quyết về việc thông qua dự toán")
        #expect(MetadataExtractor.title(text: "BÁO CÁO") == "Báo cáo")
    }

    @Test(arguments: [
        ("Trang chủ > Tin tức\nHĐND tỉnh khai mạc kỳ họp thứ 10", "HĐND tỉnh khai mạc kỳ họp thứ 10"),
        ("# Báo cáo giám sát năm 2020\n\nNội dung", "Báo cáo giám sát năm 2020"),
        ("\u{FEFF}  \n\nNgày 5/3/2021\nTiếp xúc cử tri trước kỳ họp", "Tiếp xúc cử tri trước kỳ họp"),
        ("ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\nGiấy mời họp", "Giấy mời họp"),
        ("THÔNG BÁO KẾT QUẢ KỲ HỌP", "THÔNG BÁO KẾT QUẢ KỲ HỌP"),
    ])
    func firstMeaningfulLine(text: String, title: String) {
        #expect(MetadataExtractor.title(text: text) == title)
    }

    @Test func nothingMeaningful() {
        #expect(MetadataExtractor.title(text: "Tìm kiếm\nTrang chủ\n---\n12") == nil)
        #expect(MetadataExtractor.title(text: "") == nil)
    }

    @Test func htmlHeadingThenTitle() {
        #expect(MetadataExtractor.title(text: scrapedNewsItem, htmlTitle: "Trang | HĐND", htmlHeading: "Tiêu đề bài") == "Tiêu đề bài")
        #expect(MetadataExtractor.title(text: "x", htmlTitle: "Kỳ họp thứ 10 HĐND tỉnh | Cổng thông tin", htmlHeading: nil) == "Kỳ họp thứ 10 HĐND tỉnh")
        #expect(MetadataExtractor.title(text: "Nội dung chính", htmlTitle: "Trang chủ", htmlHeading: "Tìm kiếm") == "Nội dung chính")
        #expect(MetadataExtractor.title(text: formalPlan, htmlTitle: nil, htmlHeading: "KẾ HOẠCH")?.hasPrefix("Kế hoạch Làm việc") == true)
    }

    @Test func longTitlesAreClipped() {
        let long = String(repeating: "Hội đồng nhân dân tỉnh ", count: 20)
        let title = try! #require(MetadataExtractor.title(text: long))
        #expect(title.count <= MetadataExtractor.maxTitleLength)
        #expect(title.hasSuffix("…"))
    }
}

@Suite struct HeadLinesTests {
    /// The definition `isUpperCase` implements (its fast paths must agree).
    static func reference(_ text: String) -> Bool {
        var letters = false
        for s in text.unicodeScalars where s.properties.isAlphabetic {
            if s.properties.isLowercase { return false }
            letters = true
        }
        return letters
    }

    @Test func isUpperCaseMatchesUnicodeProperties() {
        let samples = ["KẾ HOẠCH", "UBND TỈNH THỪA THIÊN HUẾ", "Kế hoạch", "ĐIỀU 1.", "ƯU TIÊN", "ươn", "123 – 456",
                       "ª", "Nº 5", "× ÷", "ÀÉÎÕÜ", "àéîõü", "ĨŨ", "ĩũ", "ŊŸ", "İı", "ΑΒΓ", "αβγ", "ДОМ", "дом",
                       "K\u{301}", "k\u{301}", "“KẾT LUẬN”", "\u{A0}VỀ\u{A0}", "Ǆ", "ǅ", "ǆ", "µ", "ᾈ"]
        for s in samples {
            guard let line = HeadLines(s, maxLines: 1).lines.first else { continue }
            #expect(line.isUpperCase == Self.reference(line.text), "\(s)")
        }
        // Every scalar the fast path decides by code point.
        for v in Array(0x20...0x24F) + Array(0x1EA0...0x1EFF) + Array(0x2000...0x206F) {
            guard let u = Unicode.Scalar(v), v != 0x0A, v != 0x0D, v != 0x85, v != 0x2028, v != 0x2029 else { continue }
            let s = "A" + String(u) + "B"
            guard let line = HeadLines(s, maxLines: 1).lines.first else { continue }
            #expect(line.isUpperCase == Self.reference(line.text), "U+\(String(v, radix: 16))")
        }
    }

    @Test func originsPointAtTheOriginalText() {
        let head = HeadLines("  Số:\u{A0}07/KH-TTHĐND\u{A0}\u{A0}\nHuế, ngày 5/3/2021\u{3000}\n")
        #expect(head.lines.count == 2)
        let line = head.lines[0]
        #expect(line.origin.count == line.key.count)
        #expect(line.original(0..<line.key.count) == "Số:\u{A0}07/KH-TTHĐND")
        #expect(MetadataExtractor.number(head)?.value == "07/KH-TTHĐND")
    }
}
