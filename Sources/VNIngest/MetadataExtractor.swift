/// Title, date, document number and kind of a council document, read from its first lines.
///
/// Every extractor looks only at the head of the text (first 4 KB, first 40 non-blank lines) and
/// matches on an accent- and case-folded key, so NFC/NFD, upper/lower case and unaccented
/// input ("Ngay 5/3/2021") are all understood; what is returned is the original text.
///
/// ```swift
/// let text = "Số: 07/KH-TTHĐND\nHương Thủy, ngày 24 tháng 9 năm 2019\nKẾ HOẠCH\nLàm việc với Thường trực HĐND các phường, xã"
/// MetadataExtractor.number(text: text)            // "07/KH-TTHĐND"
/// MetadataExtractor.date(text: text)?.iso         // "2019-09-24"
/// MetadataExtractor.title(text: text)             // "Kế hoạch Làm việc với Thường trực HĐND các phường, xã"
/// MetadataExtractor.kind(number: "07/KH-TTHĐND", text: text, folder: "") // .plan
/// ```
public enum MetadataExtractor {
    /// Longest title returned, in characters.
    public static let maxTitleLength = 200

    /// All four fields at once, reading the head of `text` once (what `DocumentLoader` uses).
    /// - Parameters:
    ///   - folder: the directory part of the document id ("tin-tuc/2019"), for the kind.
    ///   - isHTML: the document came from an HTML page (a news page unless it says otherwise).
    public static func extract(text: String, htmlTitle: String? = nil, htmlHeading: String? = nil,
                               folder: String = "", isHTML: Bool = false) -> DocumentMetadata {
        let head = HeadLines(text)
        let number = number(head)
        let kind = kind(number: number?.value, numberOnHeaderLine: number?.onHeaderLine ?? false,
                        head: head, folder: folder, isHTML: isHTML)
        // A news item has no number of its own: one in its sentences is a document it reports on.
        // A number left blank ("Số:    /KH-UBND") gives the kind, and no number.
        let own = kind == .news && number?.onHeaderLine != true || number?.blank == true ? nil : number?.value
        return DocumentMetadata(title: title(head, htmlTitle: htmlTitle, htmlHeading: htmlHeading),
                                date: date(head), number: own, kind: kind)
    }

    // MARK: - Title

    /// The document's title: the page's `<h1>`, else its `<title>`, else the first meaningful
    /// line of the text. Navigation lines ("Tìm kiếm", "Trang chủ"), the national motto, issuing
    /// body lines ("ỦY BAN NHÂN DÂN …"), "Số: …" lines and date lines are passed over. A formal
    /// heading ("KẾ HOẠCH") is joined with its subject line: "Kế hoạch Làm việc với …".
    /// - Returns: at most `maxTitleLength` characters, or nil when nothing qualifies.
    public static func title(text: String, htmlTitle: String? = nil, htmlHeading: String? = nil) -> String? {
        title(HeadLines(text), htmlTitle: htmlTitle, htmlHeading: htmlHeading)
    }

    static func title(_ head: HeadLines, htmlTitle: String?, htmlHeading: String?) -> String? {
        var htmlCandidates: [String] = []
        if let htmlHeading { htmlCandidates.append(htmlHeading) }
        if let htmlTitle {
            // "Tên bài | Tên trang": keep the article part.
            var t = Substring(htmlTitle)
            if let bar = t.firstRange(of: " | ") ?? t.firstRange(of: " :: "), t.distance(from: t.startIndex, to: bar.lowerBound) >= 10 {
                t = t[..<bar.lowerBound]
            }
            htmlCandidates.append(String(t))
        }
        // A formal document published as a page ("KẾ HOẠCH" heading its text) is titled from its
        // text, not by the page's heading (often the site's section: "Văn bản chỉ đạo điều hành").
        let formal = head.lines.prefix(12).contains { formalHeading($0) != nil }
        for candidate in htmlCandidates where !formal {
            guard let line = HeadLines(candidate, maxLines: 1).lines.first else { continue }
            if formalHeading(line) != nil { break }  // "KẾ HOẠCH": build the title from the text
            if isSkippedForTitle(line) { continue }
            // "Headline - Site name" in a <title> whose headline opens the text: the headline.
            if htmlHeading == nil, let first = head.lines.first(where: { !isSkippedForTitle($0) && $0.letterCount >= 3 }),
               first.text.count >= 10, line.text.count > first.text.count, line.text.hasPrefix(first.text),
               formalHeading(first) == nil {
                return clip(cleanTitle(first.text))
            }
            return clip(cleanTitle(line.text))
        }

        let lines = head.lines
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let heading = formalHeading(line) {
                // The subject follows the heading, maybe over several lines.
                var j = i + 1
                while j < lines.count, isSkippedForTitle(lines[j]) || lines[j].letterCount < 3 { j += 1 }
                guard j < lines.count, formalHeading(lines[j]) == nil else { return heading }
                var subject = cleanTitle(lines[j].text)
                var k = j + 1
                while k < lines.count, subject.count < maxTitleLength, startsLowercase(lines[k].text) {
                    subject += " " + cleanTitle(lines[k].text)
                    k += 1
                }
                if subject.hasPrefix("Về ") { subject = "về " + subject.dropFirst(3) }  // "Nghị quyết về …"
                return clip(heading + " " + subject)
            }
            if !isSkippedForTitle(line), line.letterCount >= 3 {
                return clip(cleanTitle(line.text))
            }
            i += 1
        }
        return nil
    }

    /// Heading words of formal documents and how a title spells them.
    private static let formalHeadings: [(key: StaticString, title: String)] = [
        ("ke hoach", "Kế hoạch"), ("bao cao", "Báo cáo"), ("nghi quyet", "Nghị quyết"),
        ("thong bao", "Thông báo"), ("quyet dinh", "Quyết định"), ("to trinh", "Tờ trình"),
        ("chuong trinh", "Chương trình"), ("ket luan", "Kết luận"), ("huong dan", "Hướng dẫn"),
        ("bien ban", "Biên bản"), ("de an", "Đề án"), ("giay moi", "Giấy mời"), ("cong van", "Công văn"),
    ]

    /// "KẾ HOẠCH" alone on its line (any case) → "Kế hoạch".
    private static func formalHeading(_ line: HeadLines.Line) -> String? {
        var key = line.key[...]
        while let last = key.last, last == 0x3A || last == 0x2E { key = key.dropLast() }  // "BÁO CÁO:"
        for h in formalHeadings where key.count == h.key.utf8CodeUnitCount && HeadLines.match(Array(key), at: 0, h.key) {
            return h.title
        }
        return nil
    }

    private static let navigationLines: [StaticString] = [
        "tim kiem", "trang chu", "gioi thieu", "lien he", "tin tuc", "dang nhap", "dang ky", "so do trang",
        "so do site", "menu", "home", "english", "tieng viet", "in bai viet", "in trang", "gui email",
        "chia se", "quay lai", "tro ve", "tro lai", "xem tin theo ngay", "cac tin khac", "tin lien quan",
        "tin khac", "thong ke truy cap", "skip to content", "facebook", "zalo", "twitter", "ban in",
    ]
    private static let issuerPrefixes: [StaticString] = [
        "hoi dong nhan dan", "hdnd", "uy ban nhan dan", "ubnd", "thuong truc", "tt hdnd", "tt.hdnd", "ban ",
        "van phong", "so ", "dang bo", "dang uy", "tinh uy", "huyen uy", "thanh uy", "thi uy", "mat tran",
        "doan dai bieu", "bo ", "chinh phu", "quoc hoi", "tinh ", "thanh pho", "thi xa", "huyen ", "quan ",
        "phuong ", "xa ",
    ]

    /// Lines that are never a title: navigation, motto, issuing body, number, date.
    static func isSkippedForTitle(_ line: HeadLines.Line) -> Bool {
        let key = line.key
        for nav in navigationLines where line.keyEquals(nav) { return true }
        if line.keyHasPrefix("trang chu") { return true }  // breadcrumb "Trang chủ > Tin tức"
        if line.keyHasPrefix("cong hoa xa hoi chu nghia") { return true }
        if line.keyContains("doc lap") && line.keyContains("tu do") && line.keyContains("hanh phuc") { return true }
        if numberMatch(key, headerOnly: true) != nil || blankNumberMatch(key) != nil || isNumberLabel(key) { return true }
        // A date line ("Hương Thủy, ngày 24 tháng 9 năm 2019"), not a subject citing a document
        // by its number and date ("Triển khai Nghị quyết số 12/NQ-HĐND ngày 05/3/2021 …").
        if let d = dateMatch(key, anchored: true), d.start <= 3 || key.count <= 80 && numberMatch(key, headerOnly: false) == nil { return true }
        if key.count <= 40, dateMatch(key, anchored: false) != nil { return true }
        if line.letterCount < 3 { return true }
        if line.isUpperCase, formalHeading(line) == nil {
            for prefix in issuerPrefixes where line.keyHasPrefix(prefix) { return true }
        }
        return false
    }

    /// "Số:" / "Số" with nothing usable after it.
    private static func isNumberLabel(_ key: [UInt8]) -> Bool {
        guard HeadLines.matchWord(key, at: 0, "so") else { return false }
        var j = 2
        while j < key.count, key[j] == 0x20 || key[j] == 0x3A || key[j] == 0x2E { j += 1 }
        return j == key.count || HeadLines.isDigit(key[j])
    }

    /// A title line without soft hyphens (left by old TCVN3 conversions) and zero-width spaces:
    /// invisible in the text, shown as "-" by some terminals and copied along with a title.
    /// (Markdown's marks around the line are not part of it: `HeadLines` leaves them out.)
    private static func cleanTitle(_ title: String) -> String {
        guard title.unicodeScalars.contains(where: { Self.invisible.contains($0.value) }) else { return title }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: title.unicodeScalars.lazy.filter { !Self.invisible.contains($0.value) })
        return String(out)
    }

    private static let invisible: Set<UInt32> = [0x00AD, 0x200B, 0x2060, 0xFEFF]

    private static func startsLowercase(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        return first.properties.isLowercase
    }

    /// Cuts at a word boundary to `maxTitleLength` characters, ending with "…".
    static func clip(_ s: String) -> String {
        // No more characters than UTF-8 bytes: short titles need no character count.
        guard s.utf8.count > maxTitleLength, s.count > maxTitleLength else { return s }
        var cut = s.prefix(maxTitleLength - 1)
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > maxTitleLength / 2 {
            cut = cut[..<space]
        }
        return String(cut) + "…"
    }

    // MARK: - Date

    /// The first date in the head of `text`: "Ngày cập nhật 11/10/2019", "ngày 24/9/2019",
    /// "Hà Nội, ngày 24 tháng 9 năm 2019", "Ngày 5/3/2021", "ngày 05 tháng 3 năm 2021"; when no
    /// line has one introduced by "ngày", the first bare "dd/mm/yyyy" or "dd tháng mm năm yyyy".
    /// - Returns: nil when there is none, or it is not a real calendar date.
    public static func date(text: String) -> DocumentDate? { date(HeadLines(text)) }

    static func date(_ head: HeadLines) -> DocumentDate? {
        // In document order: a date after "ngày", or a short line that is a date ("Thứ Hai,
        // 24/09/2019 10:30", "Cập nhật: 24/9/2019") — a news item's own date line comes before the
        // "Sáng ngày 20/8/2019" of its first sentence.
        for line in head.lines {
            if let d = dateMatch(line.key, anchored: true) { return d.date }
            if line.key.count <= Self.dateLineLength, let d = dateMatch(line.key, anchored: false) { return d.date }
        }
        for line in head.lines { if let d = dateMatch(line.key, anchored: false) { return d.date } }
        return nil
    }

    /// Longest line (key bytes) read as a date line by its bare date.
    static let dateLineLength = 60

    /// A date in `key`: after "ngày" (`anchored`), or anywhere a number starts (not anchored).
    static func dateMatch(_ key: [UInt8], anchored: Bool) -> (date: DocumentDate, start: Int)? {
        var i = 0
        while i < key.count {
            if anchored {
                if HeadLines.matchWord(key, at: i, "ngay"), let d = dateAfterNgay(key, i + 4) { return (d, i) }
            } else if HeadLines.isDigit(key[i]), i == 0 || !(HeadLines.isAlnum(key[i - 1]) || key[i - 1] == 0x2F) {
                if let d = parseDate(key, i) { return (d, i) }
            }
            i += 1
        }
        return nil
    }

    /// After "ngày": optional words ("cập nhật", "ban hành", "mùng") and a colon, then the date.
    /// A day left blank to be written in by hand ("ngày    tháng 02 năm 2022") gives the month's
    /// first day: the month is the document's, where a later date would be another's.
    private static func dateAfterNgay(_ key: [UInt8], _ from: Int) -> DocumentDate? {
        var j = from
        var words = 0
        while true {
            while j < key.count, key[j] == 0x20 || key[j] == 0x3A { j += 1 }
            guard j < key.count else { return nil }
            if HeadLines.isDigit(key[j]) { return parseDate(key, j) }
            if words == 0, HeadLines.matchWord(key, at: j, "thang") { return parseMonthAndYear(key, j) }
            guard HeadLines.isLetter(key[j]), words < 3 else { return nil }
            while j < key.count, HeadLines.isLetter(key[j]) { j += 1 }
            words += 1
        }
    }

    /// "24/9/2019", "24-09-2019", "24.9.2019", "24 tháng 9 năm 2019" or "2019-09-24" starting at `i`.
    private static func parseDate(_ key: [UInt8], _ i: Int) -> DocumentDate? {
        var j = i
        if let y = digits(key, &j, max: 4, exactly: true), j < key.count, key[j] == 0x2D {
            j += 1
            guard let m = digits(key, &j, max: 2), j < key.count, key[j] == 0x2D else { return nil }
            j += 1
            guard let d = digits(key, &j, max: 2), j == key.count || !(HeadLines.isDigit(key[j]) || key[j] == 0x2D) else { return nil }
            return DocumentDate(year: y, month: m, day: d)
        }
        j = i
        guard let day = digits(key, &j, max: 2) else { return nil }
        let month: Int, year: Int
        if j < key.count, key[j] == 0x2F || key[j] == 0x2D || key[j] == 0x2E {
            let sep = key[j]
            j += 1
            guard let m = digits(key, &j, max: 2), j < key.count, key[j] == sep else { return nil }
            j += 1
            guard let y = digits(key, &j, max: 4, exactly: true) else { return nil }
            month = m; year = y
        } else {
            skipSpaces(key, &j)
            guard let (m, y) = monthAndYear(key, &j) else { return nil }
            month = m; year = y
        }
        if j < key.count, HeadLines.isDigit(key[j]) || key[j] == 0x2F { return nil }
        return DocumentDate(year: year, month: month, day: day)  // nil unless a real calendar day
    }

    /// "tháng 9 năm 2019" at `j` (moved past it).
    private static func monthAndYear(_ key: [UInt8], _ j: inout Int) -> (month: Int, year: Int)? {
        guard HeadLines.matchWord(key, at: j, "thang") else { return nil }
        j += 5; skipSpaces(key, &j)
        guard let m = digits(key, &j, max: 2) else { return nil }
        skipSpaces(key, &j)
        if j < key.count, key[j] == 0x2C { j += 1; skipSpaces(key, &j) }
        guard HeadLines.matchWord(key, at: j, "nam") else { return nil }
        j += 3; skipSpaces(key, &j)
        guard let y = digits(key, &j, max: 4, exactly: true) else { return nil }
        return (m, y)
    }

    /// "tháng 02 năm 2022" at `i`, a date whose day was left blank: the month's first day.
    private static func parseMonthAndYear(_ key: [UInt8], _ i: Int) -> DocumentDate? {
        var j = i
        guard let (m, y) = monthAndYear(key, &j) else { return nil }
        if j < key.count, HeadLines.isDigit(key[j]) || key[j] == 0x2F { return nil }
        return DocumentDate(year: y, month: m, day: 1)
    }

    private static func skipSpaces(_ key: [UInt8], _ j: inout Int) {
        while j < key.count, key[j] == 0x20 { j += 1 }
    }

    private static func digits(_ key: [UInt8], _ j: inout Int, max: Int, exactly: Bool = false) -> Int? {
        var value = 0, n = 0
        while j < key.count, HeadLines.isDigit(key[j]) {
            n += 1
            if n > max { return nil }
            value = value * 10 + Int(key[j] - 0x30)
            j += 1
        }
        guard n > 0, !exactly || n == max else { return nil }
        return value
    }

    // MARK: - Number

    /// The document number as written: "Số: 07/KH-TTHĐND" → "07/KH-TTHĐND"; also "Số 15/BC-UBND",
    /// "Kế hoạch số 07/KH-TTHĐND", "Nghị quyết số 12/2020/NQ-HĐND". A "Số:" line opening a
    /// line wins over a number mentioned inside a sentence. The number must have a letter code
    /// after a "/" ("số 15/20 đại biểu" is not a document number).
    /// Spaces around its "/" are dropped ("Số: 07 /KH-UBND" → "07/KH-UBND"). A "Số:" line whose
    /// number was left blank to be written in by hand ("Số:    /KH-UBND") is the document's own
    /// line all the same: it gives the kind, no number, and no number mentioned later is taken.
    public static func number(text: String) -> String? {
        guard let n = number(HeadLines(text)), !n.blank else { return nil }
        return n.value
    }

    static func number(_ head: HeadLines) -> (value: String, onHeaderLine: Bool, blank: Bool)? {
        for line in head.lines {
            if let r = numberMatch(line.key, headerOnly: true) { return (numberText(line, r), true, false) }
            if let r = blankNumberMatch(line.key) { return (numberText(line, r), true, true) }
        }
        for line in head.lines {
            if let r = numberMatch(line.key, headerOnly: false) { return (numberText(line, r), false, false) }
        }
        return nil
    }

    /// The number as written, without spaces beside its "/".
    static func numberText(_ line: HeadLines.Line, _ r: Range<Int>) -> String {
        let s = line.original(r)
        guard s.contains(" ") else { return s }
        var out = "", pendingSpace = false
        for c in s {
            if c == " " { pendingSpace = true; continue }
            if pendingSpace && c != "/" && out.last != "/" { out.append(" ") }
            pendingSpace = false
            out.append(c)
        }
        return out
    }

    /// Key range of "/KH-UBND" in a header line "Số:    /KH-UBND" (the number left blank).
    static func blankNumberMatch(_ key: [UInt8]) -> Range<Int>? {
        guard HeadLines.matchWord(key, at: 0, "so") else { return nil }
        var j = 2
        while j < key.count, key[j] == 0x20 || key[j] == 0x3A || key[j] == 0x2E || key[j] == 0x5F { j += 1 }
        guard j + 1 < key.count, key[j] == 0x2F, HeadLines.isLetter(key[j + 1]) else { return nil }
        var k = j + 1
        while k < key.count, HeadLines.isLetter(key[k]) || key[k] == 0x80 || HeadLines.isDigit(key[k]) || key[k] == 0x2D || key[k] == 0x2F { k += 1 }
        while key[k - 1] == 0x2D || key[k - 1] == 0x2F { k -= 1 }
        return j..<k
    }

    /// Key range of the number after a whole-word "số" (at the line start when `headerOnly`).
    static func numberMatch(_ key: [UInt8], headerOnly: Bool) -> Range<Int>? {
        var i = 0
        while i + 2 < key.count {
            if HeadLines.matchWord(key, at: i, "so") {
                var j = i + 2
                while j < key.count, key[j] == 0x20 || key[j] == 0x3A || key[j] == 0x2E { j += 1 }
                if j < key.count, HeadLines.isDigit(key[j]) {
                    var k = j
                    var slash = false, codeLetter = false
                    while k < key.count {
                        let b = key[k]
                        if HeadLines.isLetter(b) || b == 0x80 { if slash { codeLetter = true } }
                        else if b == 0x2F { slash = true }
                        else if b == 0x20 {
                            // "07 /KH-UBND", "07/ KH-UBND": spaces beside the slash belong to the number.
                            var n = k
                            while n < key.count, key[n] == 0x20 { n += 1 }
                            guard n < key.count, key[n] == 0x2F || key[k - 1] == 0x2F else { break }
                        }
                        else if !(HeadLines.isDigit(b) || b == 0x2D || b == 0x2E || b == 0x5F) { break }
                        k += 1
                    }
                    while k > j, key[k - 1] == 0x20 { k -= 1 }
                    while k > j, key[k - 1] == 0x2E || key[k - 1] == 0x2D || key[k - 1] == 0x2F { k -= 1 }
                    if slash && codeLetter { return j..<k }
                }
            }
            if headerOnly { return nil }
            i += 1
        }
        return nil
    }

    /// The kind code of a number: "07/KH-TTHĐND" → plan, "12/2020/NQ-HĐND" → resolution.
    static func kind(ofNumber number: String) -> DocumentKind? {
        guard let line = HeadLines(number, maxLines: 1).lines.first else { return nil }
        for segment in line.key.split(separator: 0x2F) {
            let code = segment.prefix { $0 != 0x2D }
            guard !code.isEmpty, code.allSatisfy(HeadLines.isLetter) else { continue }
            switch String(decoding: code, as: UTF8.self) {
            case "kh": return .plan
            case "bc": return .report
            case "nq": return .resolution
            default: return nil
            }
        }
        return nil
    }

    // MARK: - Kind

    /// What kind of document this is, from the strongest clue to the weakest:
    /// 1. the number's code (KH → plan, BC → report, NQ → resolution), unless the text is a
    ///    news item ("Ngày cập nhật", or `isHTML`) that only mentions that number in a sentence;
    /// 2. a heading line "KẾ HOẠCH" / "BÁO CÁO" / "NGHỊ QUYẾT" in the first lines;
    /// 3. the folder: ke-hoach, kehoach, plans → plan; bao-cao, reports → report;
    ///    nghi-quyet, resolutions → resolution; tin-tuc, news → news (deepest folder first);
    /// 4. an HTML page or a text with "Ngày cập nhật" → news;
    /// 5. a first line opening with "Kế hoạch …", "Báo cáo …", "Nghị quyết …" → that kind;
    /// 6. otherwise `.other`.
    /// - Parameter folder: the directory part of the document id ("tin-tuc/2019").
    public static func kind(number: String?, text: String, folder: String, isHTML: Bool = false) -> DocumentKind {
        let head = HeadLines(text)
        var onHeaderLine = false
        if let number {
            onHeaderLine = head.lines.contains { line in
                numberMatch(line.key, headerOnly: true).map { numberText(line, $0) == number } ?? false
            }
        }
        return kind(number: number, numberOnHeaderLine: onHeaderLine, head: head, folder: folder, isHTML: isHTML)
    }

    static func kind(number: String?, numberOnHeaderLine: Bool, head: HeadLines, folder: String, isHTML: Bool) -> DocumentKind {
        // Looked for only when a rule needs it (most documents are decided before).
        let newsMarked = { isHTML || head.lines.contains { $0.keyContainsNewsMark } }
        if let number, let k = kind(ofNumber: number), numberOnHeaderLine || !newsMarked() { return k }
        for line in head.lines.prefix(15) {
            if let k = headingKind(line, wholeLine: true) { return k }
        }
        if let k = kind(folder: folder) { return k }
        if newsMarked() { return .news }
        for line in head.lines.prefix(15) where !isSkippedForTitle(line) {
            return headingKind(line, wholeLine: false) ?? .other
        }
        return .other
    }

    /// "KẾ HOẠCH" alone or opening an upper-case line (`wholeLine`), or any line opening with the words.
    private static let headingKinds: [(StaticString, DocumentKind)] = [("ke hoach", .plan), ("bao cao", .report), ("nghi quyet", .resolution)]

    private static func headingKind(_ line: HeadLines.Line, wholeLine: Bool) -> DocumentKind? {
        for (word, kind) in headingKinds where HeadLines.matchWord(line.key, at: 0, word) {
            if !wholeLine || line.key.count == word.utf8CodeUnitCount
                || (line.key.count == word.utf8CodeUnitCount + 1 && line.key.last == 0x3A)
                || line.isUpperCase { return kind }
        }
        return nil
    }

    /// The kind a folder name stands for, deepest folder first.
    static func kind(folder: String) -> DocumentKind? {
        for component in folder.split(separator: "/").reversed() {
            let name: String
            if component.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                // Printable ASCII folds to itself lower-cased: keep the letters, no HeadLines.
                name = String(decoding: component.utf8.compactMap { b -> UInt8? in
                    let l = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    return HeadLines.isLetter(l) ? l : nil
                }, as: UTF8.self)
            } else {
                guard let line = HeadLines(String(component), maxLines: 1).lines.first else { continue }
                name = String(decoding: line.key.filter { HeadLines.isLetter($0) }, as: UTF8.self)
            }
            switch name {
            case "kehoach", "plans", "plan": return .plan
            case "baocao", "reports", "report": return .report
            case "nghiquyet", "resolutions", "resolution": return .resolution
            case "tintuc", "news", "tin": return .news
            default: continue
            }
        }
        return nil
    }
}

/// The metadata `MetadataExtractor.extract` reads from a document.
public struct DocumentMetadata: Sendable, Hashable {
    public var title: String?
    public var date: DocumentDate?
    public var number: String?
    public var kind: DocumentKind

    public init(title: String?, date: DocumentDate?, number: String?, kind: DocumentKind) {
        self.title = title; self.date = date; self.number = number; self.kind = kind
    }
}
