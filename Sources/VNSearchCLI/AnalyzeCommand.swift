import ArgumentParser
import VNAnalysis
import VNIngest
import VNSearch
#if canImport(Glibc)
import Glibc
#endif

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show how text is split into syllables and keyed (or measure analysis speed).",
        discussion: """
        Prints each token with its position, the original characters, its folded key and its exact key \
        (folded·tone digit[letters with quality marks]); two spellings that print the same exact key are \
        the same word to vnsearch. With --corpus it instead measures the analysis throughput over every \
        document of a folder on one core (documents loaded first, not timed).

        Examples:
          vnsearch analyze "Thuỷ Dương, THỦY DƯƠNG, thúy"
          vnsearch analyze --corpus ../shared/phapdien-files --json
        """
    )

    @Argument(help: "Text to analyze.") var text: String?
    @Option(help: ArgumentHelp("Measure analysis throughput over this folder instead.", valueName: "dir")) var corpus: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if (text == nil) == (corpus == nil) { throw ValidationError("give either text to analyze or --corpus DIR") }
    }

    func run() throws {
        if let corpus { return try measure(corpus) }
        let tokens = Analyzer().analyze(text!)
        let utf8 = Array(text!.utf8)
        if json {
            Terminal.stdout(JSON.array(tokens.map { t in
                .object([("position", .int(t.position)), ("start", .int(t.start)), ("end", .int(t.end)),
                         ("text", .string(String(decoding: utf8[t.start..<t.end], as: UTF8.self))),
                         ("folded", .string(t.key.folded)), ("exact", .string(t.key.description)),
                         ("diacritics", .bool(t.key.hasDiacritics))])
            }).text + "\n")
            return
        }
        var out = ""
        for t in tokens {
            let original = String(decoding: utf8[t.start..<t.end], as: UTF8.self)
            out += "\(t.position)\t\(original)\t\(t.key.folded)\t\(t.key.description)\n"
        }
        Terminal.stdout(out)
    }

    private func measure(_ folder: String) throws {
        let scan = CorpusScanner(root: folder).scan()
        var texts: [String] = []
        var bytes = 0
        for f in scan.files {
            if let d = try? DocumentLoader.load(f) { texts.append(d.text); bytes += d.text.utf8.count }
        }
        let analyzer = Analyzer()
        var tokens = 0
        let t0 = monotonic()
        for i in texts.indices {
            texts[i].withUTF8 { buf in analyzer.analyze(buf) { _ in tokens += 1 } }
        }
        let seconds = monotonic() - t0
        let mbps = Double(bytes) / 1_048_576 / seconds
        if json {
            Terminal.stdout(JSON.object([("documents", .int(texts.count)), ("bytes", .int(bytes)), ("tokens", .int(tokens)),
                                         ("seconds", .double(seconds)), ("mb_per_s", .double(mbps))]).text + "\n")
        } else {
            Terminal.stdout("analyzed \(texts.count) documents, \(Format.bytes(bytes)), \(tokens) tokens in \(Format.seconds(seconds)): \(Format.one(mbps)) MB/s on one core\n")
        }
    }

    private func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
