/// The segment file format: one file per immutable segment, sections listed in a footer TOC.
/// Documented field by field in docs/FORMAT.md.
///
/// Version changelog:
/// - 1: first format (term blocks + block index, doc/tf/position postings, title postings,
///      doc table, store table, doc info, zstd store, per-record checksums).
public enum SegmentFormat {
    public static let currentVersion: UInt32 = 1
    static let headerMagic: [UInt8] = Array("VNSSEG\r\n".utf8)
    static let footerMagic: [UInt8] = Array("VNSEND\r\n".utf8)
    static let headerSize = 16
    static let footerSize = 32
    /// Terms per dictionary block: the block index holds one key per block.
    static let termsPerBlock = 32
    /// Per-document numbers used by scoring and filters ("norms").
    static let docEntrySize = 12
    /// Per-document addresses of the stored records.
    static let storeEntrySize = 20
    static let fileExtension = "seg"
}

/// Sections of a segment file (ids as in the table of contents; the file order is `finish()`'s).
enum SectionID: UInt32, CaseIterable {
    case info = 1, termBlocks, termIndex, postings, positions, titlePostings, docTable, docInfo, store, storeTable
    case positionCheckpoints

    /// Every segment has these; position checkpoints came later, and a segment without them reads
    /// positions from each term's start.
    static let required: [SectionID] = allCases.filter { $0 != .positionCheckpoints }

    var name: String {
        switch self {
        case .info: return "info"
        case .termBlocks: return "term blocks"
        case .termIndex: return "term index"
        case .postings: return "postings"
        case .positions: return "positions"
        case .titlePostings: return "title postings"
        case .docTable: return "document table"
        case .docInfo: return "document info"
        case .store: return "stored text"
        case .storeTable: return "store table"
        case .positionCheckpoints: return "position checkpoints"
        }
    }
}

/// Where a term's data lives; offsets are absolute in the segment file.
public struct TermInfo: Sendable, Equatable {
    public var docFreq: Int
    var postingsOffset: Int
    var postingsLength: Int
    var positionsOffset: Int
    var positionsLength: Int
    public var titleDocFreq: Int
    var titleOffset: Int
    var titleLength: Int
}

/// Per-document numbers kept uncompressed for scoring and filtering.
public struct DocEntry: Sendable, Equatable {
    /// Tokens in the body (BM25 length).
    public var tokenCount: Int
    public var titleTokenCount: Int
    public var kind: UInt8
    public var flags: UInt8
    /// yyyymmdd, or 0 when unknown.
    public var date: Int
    var storeOffset: Int
    var storeLength: Int
    var infoOffset: Int
    var infoLength: Int

    /// Set when the document is typed without diacritics: its terms carry folded keys only.
    public static let flagUnaccented: UInt8 = 1
    /// Set when the record's token marks are exact: `tokenMarks[j]` starts the token at position
    /// (j + 1) × `DocInfo.tokenMarkInterval`, so a walk may start there counting from that
    /// position. Indexers before this flag let a mark fall on the first token past a run of
    /// overlong (dropped) ones; their marks are not followed.
    public static let flagExactMarks: UInt8 = 2
    /// Set when the record's token marks are exact and every `DocInfo.tokenMarkInterval` (8)
    /// tokens: `tokenMarks[j]` starts the token at position (j + 1) × 8. Indexers now set this
    /// instead of `flagExactMarks` (marks every 16), so that readers that predate it see no exact
    /// marks and walk from the text's start rather than misread them.
    public static let flagExactMarksEvery8: UInt8 = 8

    /// Positions between a document's token marks where they are exact (flag bits 3 and 1),
    /// else nil: the marks are not followed.
    public static func exactMarkInterval(flags: UInt8) -> Int? {
        if flags & flagExactMarksEvery8 != 0 { return DocInfo.tokenMarkInterval }
        if flags & flagExactMarks != 0 { return DocInfo.exactMarkIntervalBefore8 }
        return nil
    }
    /// Set when every term of the document's title also stands in its body (a title taken from the
    /// text's first line; not an HTML `<title>` with the site's name): its title postings add no
    /// document to its body postings. When every document of a segment has it, a term's document
    /// frequency there is its body list's length. Segments written before this flag lack it.
    public static let flagTitleInBody: UInt8 = 4
    /// Set when the title's tokens stand in the text as a run, in order (a title taken from the
    /// text's first lines), or there is no title: every phrase of the title is then one of the text. A document without
    /// it (an HTML `<title>`, a segment written before the flag) has its stored title read where
    /// a phrase's syllables all stand in its title.
    public static let flagTitleInText: UInt8 = 16
}

/// A document's stored fields other than the text.
public struct DocInfo: Sendable, Equatable {
    public var id: String
    public var title: String?
    public var number: String?
    public var encoding: String
    public var notes: [String]
    /// `ContentHash.of` the document (text and metadata as indexed), for incremental updates.
    public var contentHash: UInt64
    public var fileSize: Int
    public var modified: Double
    /// Token marks: element k is the byte offset, in the stored text, of the first token whose
    /// position is at least (k + 1) × the interval (exactly that position where the document's
    /// flags say the marks are exact: `DocEntry.exactMarkInterval(flags:)` gives the interval).
    /// Snippets find a match (its position known from the index) by walking token boundaries from
    /// the last mark before it.
    /// Empty for a document of no more tokens than the interval, and in segments written before marks
    /// existed (the field is an optional tail of the record, so older readers skip it).
    public var tokenMarks: [Int]

    /// Positions per token mark, as indexers write them (`DocEntry.flagExactMarksEvery8`): a
    /// snippet walks on average half of it from its mark to a match.
    public static let tokenMarkInterval = 8
    /// Positions per token mark in records written before it was 8 (`DocEntry.flagExactMarks`).
    public static let exactMarkIntervalBefore8 = 16

    public init(id: String, title: String?, number: String?, encoding: String, notes: [String],
                contentHash: UInt64, fileSize: Int, modified: Double, tokenMarks: [Int] = []) {
        self.id = id; self.title = title; self.number = number; self.encoding = encoding; self.notes = notes
        self.contentHash = contentHash; self.fileSize = fileSize; self.modified = modified
        self.tokenMarks = tokenMarks
    }
}
