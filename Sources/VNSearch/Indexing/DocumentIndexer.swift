import VNAnalysis
import VNIndex
import VNIngest

/// One document's tokens, held until we know whether the document is typed without diacritics.
/// Raw memory reused from document to document: appending runs once per token, where Swift arrays
/// captured by the analyzer's closure cost a uniqueness check each.
final class DocTokenBuffer {
    private(set) var arena: UnsafeMutablePointer<UInt8> = .allocate(capacity: 1 << 16)
    private var arenaCapacity = 1 << 16
    private(set) var arenaUsed = 0
    /// Per token: end of its term in `arena`, folded-prefix length, position.
    private(set) var ends: UnsafeMutablePointer<Int32> = .allocate(capacity: 1 << 12)
    private(set) var folded: UnsafeMutablePointer<Int32> = .allocate(capacity: 1 << 12)
    private(set) var positions: UnsafeMutablePointer<Int32> = .allocate(capacity: 1 << 12)
    private var tokenCapacity = 1 << 12
    private(set) var count = 0

    deinit { arena.deallocate(); ends.deallocate(); folded.deallocate(); positions.deallocate() }

    func reset() { arenaUsed = 0; count = 0 }

    /// Whether `keys` (concatenated, key j ending at `ends[j]`) stand as a run of tokens at
    /// adjacent positions. `keyLength(k)`: how much of token k's term is its key (nil: all of it).
    func holdsRun(_ keys: [UInt8], ends: [Int], keyLength: (Int) -> Int?) -> Bool {
        func key(_ k: Int) -> UnsafeBufferPointer<UInt8> {
            let start = k == 0 ? 0 : Int(self.ends[k - 1])
            return UnsafeBufferPointer(start: arena + start, count: keyLength(k) ?? Int(self.ends[k]) - start)
        }
        return keys.withUnsafeBufferPointer { keys in
            func matches(_ k: Int, _ j: Int) -> Bool {
                let from = j == 0 ? 0 : ends[j - 1]
                let want = UnsafeBufferPointer(rebasing: keys[from..<ends[j]])
                let have = key(k)
                return have.count == want.count && have.elementsEqual(want)
            }
            let n = ends.count
            if n == 0 { return true }
            guard count >= n else { return false }
            for k in 0...(count - n) where matches(k, 0) {
                var j = 1
                while j < n && positions[k + j] == positions[k] + Int32(j) && matches(k + j, j) { j += 1 }
                if j == n { return true }
            }
            return false
        }
    }

    @inline(__always)
    func append(_ t: Token) {
        if arenaUsed + t.term.count > arenaCapacity { growArena(arenaUsed + t.term.count) }
        if count == tokenCapacity { growTokens() }
        (arena + arenaUsed).update(from: t.term.baseAddress!, count: t.term.count)
        arenaUsed += t.term.count
        ends[count] = Int32(arenaUsed)
        folded[count] = Int32(t.foldedCount)
        positions[count] = Int32(truncatingIfNeeded: t.position)
        count += 1
    }

    private func growArena(_ need: Int) {
        let n = RawMemory.doubled(arenaCapacity, toHold: need)
        arena = RawMemory.reallocate(arena, used: arenaUsed, capacity: n); arenaCapacity = n
    }

    private func growTokens() {
        let n = tokenCapacity * 2
        ends = RawMemory.reallocate(ends, used: count, capacity: n)
        folded = RawMemory.reallocate(folded, used: count, capacity: n)
        positions = RawMemory.reallocate(positions, used: count, capacity: n)
        tokenCapacity = n
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
    /// A shorter document is, from this many word syllables on, when none is marked: five
    /// Vietnamese syllables in a row without a mark are rare in accented text ("Thuy Duong kien
    /// nghi cu tri" is not), while a few stray marks in a short note decide nothing.
    static let unmarkedMinWords = 5

    /// Returns the number of body tokens.
    static func add(_ doc: Document, file: CorpusFile, hash: UInt64, analyzer: Analyzer, writer: SegmentWriter,
                    buffer: DocTokenBuffer) -> Int {
        buffer.reset()
        var words = 0, marked = 0, count = 0
        var marks = TokenMarks()
        var text = doc.text
        text.withUTF8 { utf8 in
            analyzer.analyze(utf8) { t in
                buffer.append(t)
                if !t.isNumber { words += 1; if t.hasDiacritics { marked += 1 } }
                marks.add(position: t.position, start: t.start)
            }
            count = analyzer.lastTokenCount
        }
        let unaccented = isUnaccented(words: words, marked: marked)
        let arena = buffer.arena, ends = buffer.ends, folded = buffer.folded, positions = buffer.positions
        var start = 0
        for k in 0..<buffer.count {
            let end = Int(ends[k])
            let n = unaccented ? Int(folded[k]) + 1 : end - start
            writer.addToken(UnsafeBufferPointer(start: arena + start, count: n), position: Int(positions[k]))
            start = end
        }
        var titleTokens = 0
        var titleKeys: [UInt8] = [], titleEnds: [Int] = [], titleAdjacent = true
        if var title = doc.title {
            title.withUTF8 { utf8 in
                analyzer.analyze(utf8) { t in
                    let key = unaccented ? t.foldedPrefix : t.term
                    writer.addTitleToken(key)
                    titleKeys.append(contentsOf: key); titleEnds.append(titleKeys.count)
                    if t.position != titleTokens { titleAdjacent = false }
                    titleTokens += 1
                }
            }
        }
        // No title: no phrase there either.
        let titleInText = titleAdjacent && buffer.holdsRun(titleKeys, ends: titleEnds, keyLength: { k in unaccented ? Int(folded[k]) + 1 : nil })
        let info = DocInfo(id: doc.id, title: doc.title, number: doc.number, encoding: doc.encoding.rawValue,
                           notes: doc.notes, contentHash: hash, fileSize: doc.fileSize, modified: doc.modified,
                           tokenMarks: marks.exact)
        writer.endDocument(tokenCount: count, titleTokenCount: titleTokens, kind: doc.kind.code,
                           flags: (unaccented ? DocEntry.flagUnaccented : 0) | DocEntry.flagExactMarksEvery8
                               | (titleInText ? DocEntry.flagTitleInText : 0), date: doc.date?.ordinal ?? 0,
                           info: info, text: doc.text)
        return buffer.count
    }

    static func isUnaccented(words: Int, marked: Int) -> Bool {
        words >= unaccentedMinWords ? marked * 5 < words : words >= unmarkedMinWords && marked == 0
    }
}

/// A document's token marks (`DocInfo.tokenMarks`): the byte offset of the token at every
/// `DocInfo.tokenMarkInterval`-th position, where snippets start walking token boundaries.
struct TokenMarks {
    private var offsets: [Int] = []
    private var next = DocInfo.tokenMarkInterval
    private var skipped = false

    /// Called with every reported token, in order.
    mutating func add(position: Int, start: Int) {
        while position >= next {
            // Overlong tokens are dropped unreported: the token due here was one of them.
            if position > next { skipped = true }
            offsets.append(start)
            next += DocInfo.tokenMarkInterval
        }
    }

    /// The marks, or none when a mark would fall past the position it stands for (a walk then
    /// starts at the text's start: slower, never off by a token).
    var exact: [Int] { skipped ? [] : offsets }
}
