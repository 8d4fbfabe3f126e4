import ArgumentParser
import VNIngest
import VNSearch
#if canImport(Glibc)
import Glibc
#endif

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update the index from a folder of documents.",
        discussion: """
        Reads every .txt, .md, .html and .htm file under the corpus folder (other files are \
        skipped and counted), and writes a new index generation that searches switch to at once. \
        On an existing index only what changed is re-indexed (added, changed by content, removed); \
        --full rebuilds from scratch. Searches running meanwhile keep answering from the previous \
        generation. Bad files are reported with their path and reason and skipped.

        Exit status: 0 done, 1 failed (the previous index still serves), 75 another indexer is running.

        Examples:
          vnsearch index
          vnsearch index --corpus /srv/hdnd/docs --index /var/lib/vnsearch --quiet
          vnsearch index --full --json
        """
    )

    @OptionGroup var locations: Locations
    @Flag(help: "Rebuild everything instead of updating the current generation.") var full = false
    @Flag(help: "Wait for another running indexer instead of exiting with status 75.") var wait = false
    @Flag(help: "Print the summary as one JSON object on stdout.") var json = false
    @Flag(help: "Print only problems: errors, warnings and files that could not be indexed (not those of other types, nor hidden ones); no progress, no summary. For cron and timers.") var quiet = false
    @Flag(help: "List every skipped file (without it, the first 20) and every file converted from a legacy encoding or repaired.") var verbose = false
    // `.unconditional`: a value such as -5 is read as the value (and refused by `validate` with a
    // reason), not taken for a flag with the value missing.
    @Option(name: .customLong("max-file-size"), parsing: .unconditional,
            help: ArgumentHelp("Skip files larger than this many bytes.", valueName: "bytes"))
    var maxFileSize: Int = CorpusScanner.defaultMaxFileSize
    @Option(parsing: .unconditional, help: "Indexing threads; the default is one per core.")
    var threads: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be 1 or more") }
        if maxFileSize < 1 { throw ValidationError("--max-file-size must be 1 byte or more") }
        // The index among the documents would index itself: refused, with what to do.
        if let c = realpath(locations.corpus, nil), let i = realpath(locations.index, nil) {
            defer { free(c); free(i) }
            if strcmp(c, i) == 0 {
                throw ValidationError("--index and --corpus are the same folder '\(locations.index)': keep the index in a folder of its own, e.g. --index index")
            }
        }
    }

    func run() throws {
        var options = BuildOptions(corpus: locations.corpus, index: locations.index)
        options.full = full
        options.wait = wait
        options.threads = max(1, threads)
        options.maxFileSize = max(1, maxFileSize)
        let showProgress = !quiet && !json && Terminal.stderrIsTerminal
        let summary: BuildSummary
        var progress: (@Sendable (BuildProgress) -> Void)? = nil
        if showProgress { progress = { p in ProgressBar.draw(p) } }
        do {
            summary = try IndexBuilder.build(options, progress: progress)
        } catch {
            failWith(error)
        }
        if showProgress { ProgressBar.clear() }
        for w in summary.warnings { Terminal.stderr("vnsearch: warning: " + Terminal.oneLine(w)) }
        if quiet {
            // A night's log holds what needs a person: every file that could not be indexed.
            for s in summary.skipped {
                switch s.reason { case .unsupportedType, .hidden: continue; default: break }
                Terminal.stderr("vnsearch: skipped " + Terminal.oneLine(s.description))
            }
        } else {
            let shown = verbose ? summary.skipped : Array(summary.skipped.prefix(20))
            for s in shown { Terminal.stderr("vnsearch: skipped " + Terminal.oneLine(s.description)) }
            if verbose {
                for c in summary.conversions {
                    Terminal.stderr("vnsearch: converted \(Terminal.oneLine(c.id)): \(c.encoding)" + (c.notes.isEmpty ? "" : " — " + c.notes.joined(separator: "; ")))
                }
            } else if !summary.conversions.isEmpty {
                Terminal.stderr("vnsearch: \(summary.conversions.count) file(s) converted from legacy encodings or repaired (--verbose says which and why)")
            }
            if summary.skipped.count > shown.count {
                Terminal.stderr("vnsearch: … and \(summary.skipped.count - shown.count) more skipped files (--verbose lists them all)")
            }
        }
        if json {
            Terminal.stdout(summary.json.text + "\n")
        } else if !quiet {
            Terminal.stderr(Self.summaryLine(summary))
        }
    }

    static func summaryLine(_ s: BuildSummary) -> String {
        var reasons: [String: Int] = [:]
        for k in s.skipped { reasons[k.reason.code, default: 0] += 1 }
        let skipped = reasons.isEmpty ? "0" : "\(s.skipped.count) (" + reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"
        let converted = s.converted.isEmpty ? "" : "; converted: " + s.converted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "indexed generation \(s.generation)\(s.full ? " (full)" : ""): \(s.documents) documents, \(s.tokens) new tokens; "
            + "added \(s.added), updated \(s.updated), removed \(s.removed), unchanged \(s.unchanged), skipped \(skipped)\(converted); "
            + "index \(Format.bytes(s.indexBytes)) + stored \(Format.bytes(s.storedBytes)) in \(s.segments) segment\(s.segments == 1 ? "" : "s"); \(Format.seconds(s.seconds))"
    }
}

enum Format {
    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1 << 20 { return one(Double(n) / 1024) + " KB" }
        if n < 1 << 30 { return one(Double(n) / 1048576) + " MB" }
        return one(Double(n) / 1073741824) + " GB"
    }

    static func seconds(_ s: Double) -> String { s < 1 ? "\(Int((s * 1000).rounded())) ms" : one(s) + " s" }

    static func one(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return String(r)
    }
}

/// A one-line progress bar on stderr: documents, MB, rate, ETA.
enum ProgressBar {
    static func draw(_ p: BuildProgress) {
        // By bytes when the total is known (incremental runs stat every file), else by documents.
        let frac = p.bytesTotal > 0 ? Double(p.bytesDone) / Double(p.bytesTotal)
            : p.documentsTotal > 0 ? Double(p.documentsDone) / Double(p.documentsTotal) : 0
        let width = 24
        let filled = Int(frac * Double(width))
        let rate = p.seconds > 0 ? Double(p.bytesDone) / 1048576 / p.seconds : 0
        let eta = frac > 0 ? p.seconds * (1 - frac) / frac : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "\r\(bar) \(p.documentsDone)/\(p.documentsTotal) docs, \(Format.one(Double(p.bytesDone) / 1048576))\(p.bytesTotal > 0 ? "/" + Format.one(Double(p.bytesTotal) / 1048576) : "") MB, \(Format.one(rate)) MB/s, ETA \(Format.seconds(eta))   "
        var s = line
        s.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    static func clear() {
        var s = "\r\u{1B}[K"
        s.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
