import VNAnalysis
import VNIndex
import VNIngest

/// One document's tokens, held until we know whether the document is typed without diacritics.
struct DocTokenBuffer {
    var arena: [UInt8] = []
    var ends: [Int32] = []
    var folded: [Int32] = []
    var positions: [Int32] = []

    mutating func reset() {
        arena.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true)
        folded.removeAll(keepingCapacity: true); positions.removeAll(keepingCapacity: true)
    }
}

extension DocumentKind {
    /// Stable one-byte code stored in the doc table.
    public var code: UInt8 { UInt8(DocumentKind.allCases.firstIndex(of: self)!) }
    public init(code: UInt8) { self = code < DocumentKind.allCases.count ? DocumentKind.allCases[Int(code)] : .other }
}

/// Feeds one document to a segment writer.
enum DocumentIndexer {
    /// A document with at least this many word syllables, fewer than a fifth of them marked, is
    /// "typed without diacritics": it is indexed by folded keys only, so every query matches it.
    static let unaccentedMinWords = 20

    /// Returns the number of body tokens.
    static func add(_ doc: Document, file: CorpusFile, hash: UInt64, analyzer: Analyzer, writer: SegmentWriter,
                    buffer: inout DocTokenBuffer) -> Int {
        buffer.reset()
        var words = 0, marked = 0, count = 0
        var text = doc.text
        text.withUTF8 { utf8 in
            analyzer.analyze(utf8) { t in
                buffer.arena.append(contentsOf: t.term)
                buffer.ends.append(Int32(buffer.arena.count))
                buffer.folded.append(Int32(t.foldedCount))
                buffer.positions.append(Int32(truncatingIfNeeded: t.position))
                if !t.isNumber { words += 1; if t.hasDiacritics { marked += 1 } }
            }
            count = analyzer.lastTokenCount
        }
        let unaccented = isUnaccented(words: words, marked: marked)
        buffer.arena.withUnsafeBufferPointer { a in
            var start = 0
            for k in 0..<buffer.ends.count {
                let end = Int(buffer.ends[k])
                let n = unaccented ? Int(buffer.folded[k]) + 1 : end - start
                writer.addToken(UnsafeBufferPointer(rebasing: a[start..<(start + n)]), position: Int(buffer.positions[k]))
                start = end
            }
        }
        var titleTokens = 0
        if var title = doc.title {
            title.withUTF8 { utf8 in
                analyzer.analyze(utf8) { t in
                    writer.addTitleToken(unaccented ? t.foldedPrefix : t.term)
                    titleTokens += 1
                }
            }
        }
        let info = DocInfo(id: doc.id, title: doc.title, number: doc.number, encoding: doc.encoding.rawValue,
                           notes: doc.notes, contentHash: hash, fileSize: doc.fileSize, modified: doc.modified)
        writer.endDocument(tokenCount: count, titleTokenCount: titleTokens, kind: doc.kind.code,
                           flags: unaccented ? DocEntry.flagUnaccented : 0, date: doc.date?.ordinal ?? 0,
                           info: info, text: doc.text)
        return buffer.ends.count
    }

    static func isUnaccented(words: Int, marked: Int) -> Bool {
        words >= unaccentedMinWords && marked * 5 < words
    }
}
