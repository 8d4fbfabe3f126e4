import ArgumentParser
import VNIndex
import VNIngest
import VNSearch
#if canImport(Glibc)
import Glibc
#endif

extension MatchMode: ExpressibleByArgument {}
extension DocumentKind: ExpressibleByArgument {}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank documents matching a query and show highlighted snippets.",
        discussion: """
        Query language:
          kiến nghị cử tri             all words; together and in order ranks first
          "kiến nghị cử tri"           exact phrase (punctuation, line breaks ignored)
          -word  -"a phrase"           exclude documents holding them
          a OR b                       either one (OR in capitals)
          "kỳ họp" HĐND -"tổ dân phố"  combine them
        A word typed without diacritics matches every variant (thuy: thủy, thúy, thùy…); typed with \
        diacritics it matches exactly that word, whatever the tone placement, case or Unicode form. \
        When no document holds every word, the best partial matches are shown and marked as relaxed.

        Exit status: 0 (even with no hits), 1 index missing or damaged, 2 malformed query, 64 bad \
        option. JSON shapes: docs/CLI.md.

        Examples:
          vnsearch search "kiến nghị cử tri"
          vnsearch search "kien nghi cu tri" --kind report --since 2020-01-01 --limit 5
          vnsearch search "Thủy Dương" --json | jq '.hits[].id'
          vnsearch search --queries questions.txt --match any --json
          printf 'kỳ họp\\nngân sách\\n' | vnsearch search --queries - --json
        """
    )

    @OptionGroup var locations: Locations
    /// The query's words. `.allUnrecognized` keeps a leading exclusion (`vnsearch search -word`,
    /// `vnsearch search '-"tổ dân phố"'`) a query instead of an unknown option; several words
    /// are joined with spaces, as if quoted together.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query (see above). Omit it with --queries.", valueName: "query"))
    var words: [String] = []

    var query: String? {
        let all = PositionalWords(words).all
        return all.isEmpty ? nil : all.joined(separator: " ")
    }
    @Option(help: "all: every word must occur (default); any: rank every document holding any word.") var match: MatchMode = .all
    @Option(help: "Only documents of this kind: plan, report, resolution, news, other.") var kind: DocumentKind?
    @Option(help: ArgumentHelp("Only documents dated on or after this day.", valueName: "YYYY-MM-DD")) var since: String?
    @Option(help: ArgumentHelp("Only documents dated on or before this day.", valueName: "YYYY-MM-DD")) var until: String?
    @Option(parsing: .unconditional, help: "Hits per page (at most 100000).") var limit: Int = 10
    @Option(parsing: .unconditional, help: "Hits to skip (paging; at most 1000000000).") var offset: Int = 0
    @Flag(help: "Print one JSON object on stdout (its shape: docs/CLI.md).") var json = false
    @Flag(name: .customLong("no-color"), help: "Mark matches with [brackets] instead of colour.") var noColor = false
    @Option(help: ArgumentHelp("Run one query per line of FILE ('-': standard input), printing one JSON object per line, in order (a blank or malformed line gets an object with an \"error\").", valueName: "file")) var queries: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Threads one query may use (1 or 2): an index of several segments is matched, and hits built, on two. Default: 2 with --queries, 1 for a single query (whose process would spend more starting the second thread than it saves).", valueName: "n")) var threads: Int?

    func validate() throws {
        // Before a `--` an unknown `--option` is a typo; a single dash is an exclusion.
        if let unknown = PositionalWords(words).options.first(where: { $0.hasPrefix("--") && $0.count > 2 }) {
            throw ValidationError("unknown option '\(unknown)' (to search for it, write -- before the query)")
        }
        if query == nil && queries == nil { throw ValidationError("give a query, e.g. vnsearch search \"kiến nghị cử tri\", or --queries FILE") }
        if query != nil && queries != nil { throw ValidationError("give either a query or --queries FILE, not both") }
        if limit < 0 || offset < 0 { throw ValidationError("--limit and --offset must be 0 or more") }
        if let t = threads, !(1...2).contains(t) { throw ValidationError("--threads is 1 or 2") }
        if limit > 100_000 || offset > 1_000_000_000 { throw ValidationError("--limit is at most 100000 and --offset at most 1000000000") }
        let from = try since.flatMap { try Self.filterDate($0, flag: "--since") }
        let to = try until.flatMap { try Self.filterDate($0, flag: "--until") }
        if let from, let to, from.ordinal > to.ordinal {
            throw ValidationError("--since \(from.iso) is after --until \(to.iso): no day is in both; swap them")
        }
    }

    /// A filter's day, or nil for no bound. Documents are dated 1900-01-01 … 2200-12-31 (other years
    /// in a text are not dates), so a bound beyond that span on its open side filters nothing:
    /// `--until 9999-12-31` means no upper bound (undated documents included, as without the flag).
    static func filterDate(_ text: String, flag: String) throws -> DocumentDate? {
        if let d = DocumentDate(iso: text) { return d }
        let example = flag == "--since" ? "2020-01-31" : "2020-12-31"
        let digits = text.utf8.prefix(4)
        // Outside the span only: four digits, and the same month and day real in a leap year.
        guard text.utf8.count == 10, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let year = Int(text.prefix(4)),
              year < 1900 || year > 2200, DocumentDate(iso: "2000" + text.dropFirst(4)) != nil else {
            throw ValidationError("\(flag) wants a real date as YYYY-MM-DD, e.g. \(example)")
        }
        if flag == "--since" && year < 1900 { return nil }
        if flag == "--until" && year > 2200 { return nil }
        throw ValidationError("\(flag) \(text) leaves no document: documents are dated from 1900-01-01 to 2200-12-31")
    }

    func run() throws {
        var options = SearchOptions()
        options.match = match
        options.kind = kind
        options.since = try since.flatMap { try Self.filterDate($0, flag: "--since") }
        options.until = try until.flatMap { try Self.filterDate($0, flag: "--until") }
        options.limit = limit
        options.offset = offset
        options.threads = threads ?? (queries != nil ? 2 : 1)
        let searcher: Searcher
        do { searcher = Searcher(reader: try openIndex(locations), batch: queries != nil) } catch { failWith(error) }

        if let file = queries {
            HeapMemory.reuseQueryBuffers()
            var out: [UInt8] = []
            QueryFile.forEachQuery(file) { q in
                do {
                    try searcher.search(q, options: options).json.write(into: &out)
                } catch {
                    JSON.object([("query", .string(q)), ("total", .int(0)), ("relaxed", .bool(false)), ("took_ms", .double(0)),
                                 ("hits", .array([])), ("error", .string(String(describing: error)))]).write(into: &out)
                }
                out.append(0x0A)
                if out.count > 1 << 16 { Terminal.stdout(bytes: out); out.removeAll(keepingCapacity: true) }
            } done: {
                Terminal.stdout(bytes: out)
            }
            return
        }

        let result: SearchResult
        do { result = try searcher.search(query!, options: options) } catch { failWith(error) }
        if json {
            Terminal.stdout(bytes: result.json.bytes + [0x0A])
            return
        }
        let color = Terminal.color(unless: noColor)
        Terminal.stdout(HitPrinter(color: color).render(result, offset: offset, limit: limit))
    }
}

/// The queries of a `--queries` file ("-": standard input): one per line (LF or CRLF), trimmed; a
/// blank line is an empty query, answered with an error object like any malformed one, so that
/// output line n always answers input line n (docs/CLI.md). A file that cannot be opened or read
/// (a folder, an I/O error) ends the command with exit status 1 naming it, never with silently
/// fewer results.
enum QueryFile {
    /// Calls `body` with each query, then `done` (to print what it holds) before failing on a read error.
    static func forEachQuery(_ path: String, _ body: (String) -> Void, done: () -> Void = {}) {
        guard let f = fopen(path == "-" ? "/dev/stdin" : path, "r") else {
            fail("cannot open query file '\(path)': \(String(cString: strerror(errno)))", code: Exit.failure)
        }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var cap = 0
        defer { free(line) }
        while true {
            let n = getline(&line, &cap, f)
            guard n >= 0, let l = line else { break }
            // The whole line, NUL bytes included (a C string would end at the first one).
            let text = String(decoding: UnsafeRawBufferPointer(start: l, count: n), as: UTF8.self)
            // A byte order mark (a file saved by Notepad) is not part of the first query.
            let q = text.trimmingCharacters(inSet: [" ", "\t", "\r", "\n", "\r\n", "\u{FEFF}"])
            body(q)
        }
        let failed = ferror(f) != 0
        let reason = String(cString: strerror(errno))
        done()
        if failed { fail("cannot read query file '\(path)': \(reason)", code: Exit.failure) }
    }
}

/// Human output: numbered hits, metadata, snippets with matches in bold colour or [brackets].
struct HitPrinter {
    let color: Bool

    func mark(_ s: Snippet) -> String {
        let scalars = Array(Terminal.printable(s.text).unicodeScalars)
        var out = String.UnicodeScalarView()
        var k = 0
        for h in s.highlights {
            let start = h[0], end = h[1]
            guard start >= k && start <= end && end <= scalars.count else { continue }
            out.append(contentsOf: scalars[k..<start])
            out.append(contentsOf: (color ? "\u{1B}[1;33m" : "[").unicodeScalars)
            out.append(contentsOf: scalars[start..<end])
            out.append(contentsOf: (color ? "\u{1B}[0m" : "]").unicodeScalars)
            k = end
        }
        out.append(contentsOf: scalars[k...])
        return String(out)
    }

    func render(_ r: SearchResult, offset: Int, limit: Int) -> String {
        var out = ""
        if r.relaxed && r.total > 0 {
            out += "No document holds every word; showing the best partial matches.\n\n"
        }
        let bold = color ? "\u{1B}[1m" : "", dim = color ? "\u{1B}[2m" : "", reset = color ? "\u{1B}[0m" : ""
        for (i, h) in r.hits.enumerated() {
            var meta = [h.kind.rawValue]
            if let d = h.date { meta.append(d.iso) }
            if let n = h.number { meta.append(Terminal.oneLine(n)) }
            out += "\(offset + i + 1). \(bold)\(Terminal.oneLine(h.title ?? h.id))\(reset)\n"
            out += "   \(dim)\(Terminal.oneLine(h.id)) · \(meta.joined(separator: " · ")) · score \(Format.one(h.score))\(reset)\n"
            for s in h.snippets { out += "   " + mark(s) + "\n" }
            out += "\n"
        }
        let documents = "\(r.total) document\(r.total == 1 ? "" : "s")"
        let shown = r.total == 0 ? "No documents match"
            : r.hits.isEmpty ? "\(documents) match; none on this page (--offset \(offset) --limit \(limit))"
            : "\(offset + 1)–\(offset + r.hits.count) of \(documents)"
        out += "\(shown) (\(Format.one(r.tookMs)) ms)\n"
        return out
    }
}
