import VNEncoding

/// What kind of council document this is.
public enum DocumentKind: String, Sendable, CaseIterable, Codable, Hashable {
    case plan, report, resolution, news, other
}

/// A calendar date as written in a document ("ngày 24/9/2019" → 2019-09-24).
public struct DocumentDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1,
              day <= DocumentDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses "YYYY-MM-DD" (exactly that shape, a real day).
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// "YYYY-MM-DD".
    public var iso: String {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Days-free sortable integer: yyyymmdd.
    public var ordinal: Int { year * 10000 + month * 100 + day }

    /// The date an `ordinal` (yyyymmdd) stands for; nil for 0 (unknown) or a damaged value.
    public init?(ordinal: Int) {
        guard ordinal > 0 else { return nil }
        self.init(year: ordinal / 10000, month: ordinal / 100 % 100, day: ordinal % 100)
    }

    public var description: String { iso }

    public static func < (a: DocumentDate, b: DocumentDate) -> Bool { a.ordinal < b.ordinal }
}

/// One document of the corpus, ready for analysis and storage.
public struct Document: Sendable {
    /// Path relative to the corpus folder, with `/`.
    public var id: String
    public var title: String?
    public var date: DocumentDate?
    /// Document number as written ("07/KH-TTHĐND").
    public var number: String?
    public var kind: DocumentKind
    /// The text to index, store and show: decoded, original diacritics and case kept (not normalized).
    public var text: String
    public var encoding: SourceEncoding
    /// What decoding converted or repaired.
    public var notes: [String]
    /// Bytes of a UTF-8 file that were not valid UTF-8 (shown as U+FFFD; `notes` says where).
    public var invalidBytes = 0
    /// Size in bytes and modification time of the file as read (its `fstat`); 0 when not from a file.
    public var fileSize = 0
    public var modified = 0.0

    public init(id: String, title: String? = nil, date: DocumentDate? = nil, number: String? = nil,
                kind: DocumentKind = .other, text: String, encoding: SourceEncoding = .utf8, notes: [String] = []) {
        self.id = id; self.title = title; self.date = date; self.number = number
        self.kind = kind; self.text = text; self.encoding = encoding; self.notes = notes
    }
}
