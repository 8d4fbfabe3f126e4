import ArgumentParser
import VNIndex
import VNSearch
#if canImport(Glibc)
import Glibc
#endif

@main
struct VNSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vnsearch",
        abstract: "Full-text search for Vietnamese council documents (HĐND/UBND plans, reports, resolutions, news).",
        discussion: """
        vnsearch indexes a folder of .txt, .md and .html documents and searches them the way \
        Vietnamese is really typed: NFC or NFD, either tone placement (hoà/hòa, thuỷ/thủy), upper \
        case, with or without diacritics. A word typed without diacritics finds every variant \
        ("thuy" finds thủy, thúy, thùy); a word typed with them finds exactly that word ("thủy" \
        finds thủy and thuỷ, never thúy).

        Examples:
          vnsearch index                      # corpus/ → index/
          vnsearch search "kiến nghị cử tri"  # ranked documents, highlighted snippets
          vnsearch search '"kỳ họp" HĐND -"tổ dân phố"' --kind resolution
          vnsearch mentions "Thủy Dương"      # every occurrence: line, column, context
          vnsearch show tin-tuc/2019/dai-bieu-thuy-chau-tiep-xuc-cu-tri.txt
        """,
        subcommands: [IndexCommand.self, SearchCommand.self, MentionsCommand.self, ShowCommand.self, StatsCommand.self, VerifyCommand.self, AnalyzeCommand.self],
        defaultSubcommand: nil
    )
}

/// Where the index and the corpus live (shared by every subcommand).
struct Locations: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of the index.", valueName: "dir"))
    var index: String = "index"

    @Option(name: .long, help: ArgumentHelp("Folder of documents to index (read recursively).", valueName: "dir"))
    var corpus: String = "corpus"
}

/// Positional words read with `parsing: .allUnrecognized`: otherwise ArgumentParser takes one
/// beginning with "-" for short flags ("-dash.txt" is -d -a -s -h…, and -h prints help). Those
/// before a `--` terminator are `options`, those after it `rest`.
struct PositionalWords {
    let options: ArraySlice<String>
    let rest: ArraySlice<String>

    init(_ words: [String]) {
        let t = words.firstIndex(of: "--") ?? words.endIndex
        options = words[..<t]
        rest = t < words.endIndex ? words[(t + 1)...] : []
    }

    var all: [String] { Array(options) + Array(rest) }

    /// Refuses a word before `--` beginning with "-" (a mistyped flag, or a value that needs the
    /// `--`), saying how to pass it as a value.
    func refuseOptions(_ command: String) throws {
        if let w = options.first(where: { $0.hasPrefix("-") && $0.count > 1 }) {
            throw ValidationError("unknown option '\(w)' (for \(command == "show" ? "a document id" : "a phrase") beginning with '-', write -- before it: vnsearch \(command) -- \(w))")
        }
    }
}

/// Exit statuses scripts rely on.
enum Exit {
    static let badQuery: Int32 = 2
    static let lockBusy: Int32 = 75   // EX_TEMPFAIL
    static let failure: Int32 = 1
}

/// Prints a one-line error on stderr and exits with `code`.
func fail(_ message: String, code: Int32) -> Never {
    Terminal.stderr("vnsearch: error: " + message)
    exit(code)
}

/// Maps library errors to the message and the exit status.
func failWith(_ error: Error) -> Never {
    switch error {
    case let e as IndexError:
        if case .lockBusy = e { fail(e.description, code: Exit.lockBusy) }
        fail(e.description, code: Exit.failure)
    case let e as SearchError:
        if case .badQuery = e { fail(e.description, code: Exit.badQuery) }
        fail(e.description, code: Exit.failure)
    default:
        fail(String(describing: error), code: Exit.failure)
    }
}

enum Terminal {
    static func stderr(_ s: String) {
        var line = s + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Buffered stdout (one write per result keeps piping fast).
    static func stdout(_ s: String) {
        var line = s
        line.withUTF8 { stdout($0) }
    }

    static func stdout(bytes: [UInt8]) { bytes.withUnsafeBufferPointer { stdout($0) } }

    private static func stdout(_ buf: UnsafeBufferPointer<UInt8>) {
        var off = 0
        while off < buf.count {
            let n = write(1, buf.baseAddress! + off, buf.count - off)
            if n <= 0 { if errno == EINTR { continue }; return }
            off += n
        }
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
    /// Matches in colour: on a terminal, unless `--no-color` or the NO_COLOR convention
    /// (no-color.org: set and not empty) says otherwise.
    static func color(unless noColor: Bool) -> Bool {
        guard !noColor, stdoutIsTerminal else { return false }
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        return true
    }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Document text made safe to print: control characters (an escape sequence in a scraped page
    /// could retitle the terminal's window or rewrite what it shows) become "�", and carriage
    /// returns, vertical tabs and form feeds spaces — one scalar for one, so highlight offsets
    /// still hold. Tabs and line feeds stay.
    static func printable(_ s: String) -> String { printable(s, lineFeeds: true) }

    /// `printable`, line feeds too shown as "�": a field printed on one line (an id — a file name
    /// may hold a line feed — a title, a number), whose line a script splits on.
    static func oneLine(_ s: String) -> String { printable(s, lineFeeds: false) }

    private static func printable(_ s: String, lineFeeds: Bool) -> String {
        // UTF-8: C0 and DEL are single bytes; C1 (U+0080–U+009F) is 0xC2 then 0x80–0x9F.
        var clean = true
        var previous: UInt8 = 0
        for b in s.utf8 {
            if (b < 0x20 && b != 0x09 && (b != 0x0A || !lineFeeds)) || b == 0x7F || (previous == 0xC2 && b < 0xA0) { clean = false; break }
            previous = b
        }
        if clean { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x09: out.append(u)
            case 0x0A: out.append(lineFeeds ? u : "\u{FFFD}")
            case 0x0B, 0x0C, 0x0D: out.append(" ")
            case 0..<0x20, 0x7F..<0xA0: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }
}

/// Opens the index; when the folder holds none at all, builds it from the corpus first.
func openIndex(_ loc: Locations, quiet: Bool = false) throws -> IndexReader {
    let dir = IndexDirectory(path: loc.index)
    if !dir.hasIndex {
        guard FileIO.isDirectory(loc.corpus) else { throw SearchError.indexMissing(index: loc.index, corpus: loc.corpus) }
        if !quiet { Terminal.stderr("vnsearch: no index in '\(loc.index)' yet; building it from '\(loc.corpus)' first…") }
        var options = BuildOptions(corpus: loc.corpus, index: loc.index)
        options.full = true
        do {
            let summary = try IndexBuilder.build(options)
            if !quiet { Terminal.stderr("vnsearch: " + IndexCommand.summaryLine(summary)) }
        } catch IndexError.lockBusy {
            // Another process is building it (several first searches at once): wait for that
            // build, then search what it published.
            if !quiet { Terminal.stderr("vnsearch: another process is building the index; waiting for it…") }
            _ = try dir.lockForWriting(wait: true)
            if !dir.hasIndex { return try openIndex(loc, quiet: quiet) }
        }
    }
    return try IndexReader(directory: dir)
}
