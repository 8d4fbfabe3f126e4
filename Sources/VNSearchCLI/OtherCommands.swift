import ArgumentParser
import VNIndex
import VNIngest
import VNSearch
#if canImport(Glibc)
import Glibc
#endif

struct MentionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentions",
        abstract: "List every occurrence of a name or phrase, with line, column and context.",
        discussion: """
        Finds every mention (not only every document) of a phrase however it was typed, with the \
        same rule as search: words without diacritics match every variant, words with diacritics \
        match exactly. Lines and columns are 1-based, counted in Unicode scalars, in the text that \
        `vnsearch show ID` prints.

        Examples:
          vnsearch mentions "Thủy Dương"
          vnsearch mentions "thuy duong" --json
        """
    )

    @OptionGroup var locations: Locations
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The name or phrase (write -- before one beginning with '-').", valueName: "phrase"))
    var words: [String] = []
    var phrase: String? { let all = PositionalWords(words).all; return all.isEmpty ? nil : all.joined(separator: " ") }
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(name: .customLong("no-color"), help: "Mark matches with [brackets] instead of colour.") var noColor = false
    @Option(help: ArgumentHelp("Run one phrase per line of FILE ('-': standard input), printing one JSON object per line, in order.", valueName: "file")) var queries: String?

    func validate() throws {
        try PositionalWords(words).refuseOptions("mentions")
        if phrase == nil && queries == nil { throw ValidationError("give a phrase, e.g. vnsearch mentions \"Thủy Dương\", or --queries FILE") }
    }

    func run() throws {
        let finder: MentionFinder
        do { finder = MentionFinder(reader: try openIndex(locations)) } catch { failWith(error) }
        if let file = queries {
            QueryFile.forEachQuery(file) { q in
                do { Terminal.stdout(try finder.find(q).json.text + "\n") } catch {
                    Terminal.stdout(JSON.object([("query", .string(q)), ("total", .int(0)), ("documents", .int(0)), ("mentions", .array([])),
                                                 ("error", .string(String(describing: error)))]).text + "\n")
                }
            }
            return
        }
        let r: MentionsResult
        do { r = try finder.find(phrase!) } catch { failWith(error) }
        if json { Terminal.stdout(r.json.text + "\n"); return }
        let color = Terminal.color(unless: noColor)
        var out = ""
        let printer = HitPrinter(color: color)
        for m in r.mentions {
            let n = m.context.unicodeScalars.count
            let s = min(n, max(0, m.column - m.contextColumn))
            var text = m.context, e = min(n, s + m.match.unicodeScalars.count)
            if m.match.contains(where: \.isNewline) {
                // A match across a line break: its line up to the match, then the whole match on
                // one line, the breaks shown as ⏎ (the context is the first line only).
                let shown = m.match.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
                text = String(String.UnicodeScalarView(m.context.unicodeScalars.prefix(s))) + shown
                e = s + shown.unicodeScalars.count
            }
            var line = printer.mark(Snippet(text: text, highlights: [[s, e]])).trimmingCharacters(inSet: [" ", "\t"])
            // A long line's context is a stretch of it.
            if m.contextColumn > 1 { line = "…" + line }
            if m.contextCutAtEnd { line += "…" }
            out += "\(Terminal.oneLine(m.id)):\(m.line):\(m.column): \(line)\n"
        }
        out += "\(r.mentions.count) mention\(r.mentions.count == 1 ? "" : "s") in \(r.documents) document\(r.documents == 1 ? "" : "s")\n"
        Terminal.stdout(out)
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a document's metadata and text.",
        discussion: "Example:\n  vnsearch show ke-hoach/2019/kh-07-tthdnd-thi-xa-huong-thuy.txt"
    )

    @OptionGroup var locations: Locations
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Document id: its path relative to the corpus folder (write -- before one beginning with '-').", valueName: "id"))
    var words: [String] = []
    var id: String { PositionalWords(words).all.first ?? "" }

    func validate() throws {
        try PositionalWords(words).refuseOptions("show")
        if PositionalWords(words).all.count != 1 { throw ValidationError("give one document id, e.g. vnsearch show ke-hoach/2019/kh-07-tthdnd-thi-xa-huong-thuy.txt") }
    }
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        do {
            let reader = try openIndex(locations)
            // The id as given, else as a path: "./a.txt", "corpus/a.txt", "/abs/corpus/a.txt".
            let asPath = Self.relativeID(id, corpus: locations.corpus)
            for wanted in asPath == id ? [id] : [id, asPath] {
                for (s, seg) in reader.segments.enumerated() {
                    for d in 0..<seg.documentCount where !reader.isDeleted(segment: s, doc: d) {
                        let info = try seg.docInfo(d)
                        guard info.id == wanted else { continue }
                        let e = seg.docEntry(d)
                        let text = try seg.text(d)
                        let date = DocumentDate(ordinal: e.date)
                        let kind = DocumentKind(code: e.kind)
                        if json {
                            Terminal.stdout(JSON.object([
                                ("id", .string(info.id)), ("title", .str(info.title)), ("kind", .string(kind.rawValue)),
                                ("date", .str(date?.iso)), ("number", .str(info.number)), ("encoding", .string(info.encoding)),
                                ("notes", .array(info.notes.map { .string($0) })),
                                ("typed_without_diacritics", .bool(e.flags & DocEntry.flagUnaccented != 0)),
                                ("tokens", .int(e.tokenCount)), ("text", .string(text)),
                            ]).text + "\n")
                            return
                        }
                        var out = "id:       \(Terminal.oneLine(info.id))\ntitle:    \(Terminal.oneLine(info.title ?? "-"))\nkind:     \(kind.rawValue)\n"
                        out += "date:     \(date?.iso ?? "-")\nnumber:   \(Terminal.oneLine(info.number ?? "-"))\nencoding: \(encodingDisplayName(info.encoding))\n"
                        for n in info.notes { out += "note:     \(n)\n" }
                        if e.flags & DocEntry.flagUnaccented != 0 { out += "note:     typed without diacritics: matched by folded keys\n" }
                        out += "tokens:   \(e.tokenCount)\n\n" + text
                        if !text.hasSuffix("\n") { out += "\n" }
                        Terminal.stdout(Terminal.printable(out))
                        return
                    }
                }
            }
            throw SearchError.documentNotFound(id: id)
        } catch { failWith(error) }
    }
}

extension ShowCommand {
    /// A document's path as a user may paste it — "./a/b.txt", "corpus/a/b.txt" (the corpus folder
    /// as given), its absolute path — as its id ("a/b.txt"); other text unchanged.
    static func relativeID(_ given: String, corpus: String) -> String {
        var path = given
        while path.hasPrefix("./") { path.removeFirst(2) }
        var folder = corpus
        while folder.hasPrefix("./") { folder.removeFirst(2) }
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        if path.hasPrefix(folder + "/") { return String(path.dropFirst(folder.count + 1)) }
        if path.hasPrefix("/"), let root = realpath(corpus, nil) {
            defer { free(root) }
            let prefix = String(cString: root) + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        return path
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print document, term and size figures of the index.",
        discussion: "Example:\n  vnsearch stats --json"
    )

    @OptionGroup var locations: Locations
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        let reader: IndexReader
        do { reader = try openIndex(locations) } catch { failWith(error) }
        let terms = reader.segments.reduce(0) { $0 + $1.termCount }
        let idx = reader.segments.reduce(0) { $0 + $1.sizes.index }
        let stored = reader.segments.reduce(0) { $0 + $1.sizes.stored }
        let deleted = reader.deletions.reduce(0) { $0 + ($1?.count ?? 0) }
        if json {
            Terminal.stdout(JSON.object([
                ("generation", .int(reader.meta.generation)), ("documents", .int(reader.documentCount)),
                ("deleted", .int(deleted)), ("segments", .int(reader.segments.count)), ("terms", .int(terms)),
                ("tokens", .int(reader.totalTokens)), ("index_bytes", .int(idx)), ("stored_bytes", .int(stored)),
                ("corpus", .string(reader.meta.corpus)), ("analyzer", .string(reader.meta.analyzer)),
            ]).text + "\n")
            return
        }
        Terminal.stdout("""
        generation:  \(reader.meta.generation)
        documents:   \(reader.documentCount)\(deleted > 0 ? " (+\(deleted) deleted, awaiting merge)" : "")
        segments:    \(reader.segments.count)
        terms:       \(terms) (dictionary entries, summed over segments)
        tokens:      \(reader.totalTokens)
        index:       \(Format.bytes(idx)) (dictionary + postings + positions)
        stored:      \(Format.bytes(stored)) (metadata + compressed text)
        corpus:      \(reader.meta.corpus)
        analyzer:    \(reader.meta.analyzer)

        """)
    }
}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every checksum of the index end to end.",
        discussion: "Exit status 0 when every file is intact, 1 naming each damaged file otherwise.\n\nExample:\n  vnsearch verify --index /var/lib/vnsearch"
    )

    @OptionGroup var locations: Locations

    func run() throws {
        let dir = IndexDirectory(path: locations.index)
        let reader: IndexReader
        do { reader = try IndexReader(directory: dir) } catch { failWith(error) }
        let problems = reader.verify()
        if problems.isEmpty {
            Terminal.stdout("ok: generation \(reader.meta.generation), \(reader.segments.count) segment(s), \(reader.documentCount) documents, every checksum matches\n")
            return
        }
        for p in problems { Terminal.stderr("vnsearch: damaged: " + p) }
        fail("\(problems.count) damaged part(s): rebuild with `vnsearch index --full`", code: Exit.failure)
    }
}
