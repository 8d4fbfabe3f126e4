import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What one run of the built `vnsearch` did.
struct RunResult: CustomStringConvertible {
    var args: [String]
    /// Exit status, or the signal number when `signaled`.
    var status: Int32
    var signaled: Bool
    var timedOut: Bool
    var stdout: String
    var stderr: String
    var seconds: Double

    var exited: Bool { !signaled && !timedOut }
    func exited(_ code: Int32) -> Bool { exited && status == code }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String {
        let how = timedOut ? "timed out" : signaled ? "killed by signal \(status)" : "exit \(status)"
        return "vnsearch \(args.joined(separator: " ")) → \(how) in \(String(format: "%.2f", seconds)) s\n--- stdout\n\(stdout.prefix(2000))\n--- stderr\n\(stderr.prefix(2000))"
    }

    /// The single JSON object printed on stdout.
    func json() throws -> [String: Any] {
        let obj = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(obj as? [String: Any], "stdout is not one JSON object: \(self)")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Finds and runs the built `vnsearch` executable.
enum CLI {
    /// The package root: three levels above this file (Tests/VNSearchCLITests/Support.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var corpus: URL { packageRoot.appendingPathComponent("corpus") }

    /// Where the built CLI may be, in order: `VNSEARCH_BIN`; `.build/debug/vnsearch` when this test
    /// bundle runs from `.build` (plain `swift test`); `.build-cli/debug/vnsearch`; the folder of
    /// the running test bundle (any other `--scratch-path`).
    static let binaryCandidates: [String] = {
        var c: [String] = []
        if let env = ProcessInfo.processInfo.environment["VNSEARCH_BIN"], !env.isEmpty { c.append(env) }
        let bundleDir = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        // Prefer the executable built next to this test bundle: a stale one in another scratch
        // folder would test old code.
        if let d = bundleDir { c.append(d.appendingPathComponent("vnsearch").path) }
        c.append(packageRoot.appendingPathComponent(".build/debug/vnsearch").path)
        c.append(packageRoot.appendingPathComponent(".build-cli/debug/vnsearch").path)
        return c
    }()

    static let binary: String? = binaryCandidates.first { FileManager.default.isExecutableFile(atPath: $0) }

    static func requireBinary() throws -> String {
        guard let b = binary else {
            throw TestFailure("the vnsearch executable was not found; build it first (`swift build`) or set VNSEARCH_BIN. Tried: \(binaryCandidates.joined(separator: ", "))")
        }
        return b
    }

    /// The environment for a child: ours without any VNSEARCH_* setting, plus `env`.
    static func environment(_ env: [String: String]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VNSEARCH_") }
        for (k, v) in env { e[k] = v }
        return e
    }

    /// Starts `vnsearch args` in `cwd`; stdout and stderr go to files (no pipe can fill up, and
    /// neither is a terminal).
    static func start(_ args: [String], in cwd: URL, env: [String: String] = [:], unprivileged: Bool = false,
                      stdin: URL? = nil) throws -> Running {
        let bin = try requireBinary()
        let p = Process()
        if unprivileged && getuid() == 0 {
            // Root reads everything: permission tests run the binary as `nobody`.
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", bin] + args
        } else {
            p.executableURL = URL(fileURLWithPath: bin)
            p.arguments = args
        }
        p.currentDirectoryURL = cwd
        p.environment = environment(env)
        let id = UUID().uuidString
        let tmp = FileManager.default.temporaryDirectory
        let out = tmp.appendingPathComponent("vnsearch-out-\(id)"), err = tmp.appendingPathComponent("vnsearch-err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outH = try FileHandle(forWritingTo: out), errH = try FileHandle(forWritingTo: err)
        p.standardOutput = outH
        p.standardError = errH
        p.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        let started = Date()
        try p.run()
        try? outH.close(); try? errH.close()
        return Running(process: p, args: args, out: out, err: err, started: started)
    }

    /// Runs `vnsearch args` in `cwd` to the end (killed after `timeout` seconds).
    static func run(_ args: [String], in cwd: URL, env: [String: String] = [:], timeout: Double = 20,
                    unprivileged: Bool = false, stdin: URL? = nil) throws -> RunResult {
        try start(args, in: cwd, env: env, unprivileged: unprivileged, stdin: stdin).wait(timeout: timeout)
    }
}

/// A started `vnsearch` process.
final class Running: @unchecked Sendable {
    let process: Process
    let args: [String]
    let out: URL, err: URL
    let started: Date

    init(process: Process, args: [String], out: URL, err: URL, started: Date) {
        self.process = process; self.args = args; self.out = out; self.err = err; self.started = started
    }

    var isRunning: Bool { process.isRunning }

    /// Waits for the end (SIGKILL after `timeout` seconds) and collects the output.
    func wait(timeout: Double = 20) -> RunResult {
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline { timedOut = true; kill(process.processIdentifier, SIGKILL); break }
            usleep(5_000)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return RunResult(args: args, status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                         timedOut: timedOut, stdout: stdout, stderr: stderr, seconds: seconds)
    }
}

/// A temporary folder for one test, removed by `remove()` (call it in a `defer`).
struct Scratch {
    let url: URL
    var path: String { url.path }
    var index: URL { url.appendingPathComponent("index") }
    var corpusDir: URL { url.appendingPathComponent("corpus") }

    /// An empty folder; with `copyCorpus`, holding a copy of the bundled corpus as `corpus/`.
    init(copyCorpus: Bool = true) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vnsearch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if copyCorpus { try FileManager.default.copyItem(at: CLI.corpus, to: corpusDir) }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func run(_ args: String..., env: [String: String] = [:], timeout: Double = 20) throws -> RunResult {
        try CLI.run(args, in: url, env: env, timeout: timeout)
    }

    func run(args: [String], env: [String: String] = [:], timeout: Double = 20, stdin: String? = nil) throws -> RunResult {
        try CLI.run(args, in: url, env: env, timeout: timeout, stdin: stdin.map { url.appendingPathComponent($0) })
    }

    func start(_ args: String..., env: [String: String] = [:]) throws -> Running {
        try CLI.start(args, in: url, env: env)
    }

    func write(_ relative: String, _ text: String) throws { try write(relative, Data(text.utf8)) }

    func write(_ relative: String, _ data: Data) throws {
        let u = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: u)
    }

    /// Builds the index of `corpus/` into `index/`, requiring success.
    @discardableResult
    func buildIndex(_ extra: String...) throws -> RunResult {
        let r = try run(args: ["index", "--quiet"] + extra)
        try #require(r.exited(0), "index build failed: \(r)")
        return r
    }

    /// Entries of the index folder (sorted), the generation CURRENT names, and that folder's entries.
    func indexListing() throws -> (top: [String], current: String?, generation: [String]) {
        let fm = FileManager.default
        let top = try fm.contentsOfDirectory(atPath: index.path).sorted()
        let current = (try? String(contentsOf: index.appendingPathComponent("CURRENT"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var gen: [String] = []
        if let c = current, let g = try? fm.contentsOfDirectory(atPath: index.appendingPathComponent(c).path) { gen = g.sorted() }
        return (top, current, gen)
    }

    /// The largest segment file of the current generation (a full build keeps one per thread).
    func segmentFile() throws -> URL {
        let l = try indexListing()
        let cur = try #require(l.current)
        let segs = l.generation.filter { $0.hasSuffix(".seg") }
        try #require(!segs.isEmpty, "expected a segment in \(cur), found \(l.generation)")
        let dir = index.appendingPathComponent(cur)
        func size(_ n: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(n).path)[.size] as? Int) ?? 0 }
        return dir.appendingPathComponent(segs.max { size($0) < size($1) }!)
    }

    /// The hit ids (in rank order) of `search QUERY --json --limit 100`.
    func hitIDs(_ query: String) throws -> [String] {
        let r = try run("search", query, "--json", "--limit", "100")
        try #require(r.exited(0), "search failed: \(r)")
        let hits = try #require(try r.json()["hits"] as? [[String: Any]])
        return hits.compactMap { $0["id"] as? String }
    }
}

/// A small deterministic generator (SplitMix64) for the fuzz test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Whether some process holds an flock on `path` (read from /proc/locks; never takes the lock).
func flockHeld(on path: String) -> Bool {
    var st = stat()
    guard stat(path, &st) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return false }
    let inode = ":\(st.st_ino) "
    return locks.split(separator: "\n").contains { $0.contains("FLOCK") && $0.contains(inode) }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// The query used throughout: in the corpus it is the phrase in 21 documents (22 with the one
/// typed without diacritics), and its four words without the phrase in 8 more (corpus/README.md).
let kienNghi = "kiến nghị cử tri"
