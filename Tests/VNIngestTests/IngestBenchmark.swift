import Foundation
import Testing
import VNEncoding
@testable import VNIngest

/// Opt-in: `VNINGEST_CORPUS=/tmp/pd/files swift test -c release -Xswiftc -enable-testing --filter IngestBenchmark`.
/// Scans the folder with `CorpusScanner`, then reads, decodes and extracts metadata from every file
/// (each stage timed on its own, in thread CPU seconds), and reports MB/s. `VNINGEST_DUMP=/path` also writes one line
/// per document (id, metadata, encoding, notes, text hash), to compare two builds' outputs.
@Suite struct IngestBenchmark {
    static let root = ProcessInfo.processInfo.environment["VNINGEST_CORPUS"]
    static let dump = ProcessInfo.processInfo.environment["VNINGEST_DUMP"]

    static func seconds(_ d: Double) -> Double { d }

    /// This thread's CPU time (less disturbed than wall time by other work on the machine).
    struct CPUClock {
        func measure(_ body: () throws -> Void) rethrows -> Double {
            func now() -> Double {
                var ts = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
                return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
            }
            let start = now()
            try body()
            return now() - start
        }
    }

    /// FNV-1a over the text's UTF-8.
    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    @Test(.enabled(if: root != nil)) func ingestThroughput() throws {
        let clock = CPUClock()
        var scan = CorpusScan(root: Self.root!)
        let tScan = clock.measure { scan = CorpusScanner(root: Self.root!).scan() }
        // Stage by stage.
        var files: [[UInt8]] = []
        files.reserveCapacity(scan.files.count)
        let tRead = try clock.measure {
            for f in scan.files { files.append(try DocumentLoader.readBytes(f.path, limit: CorpusScanner.defaultMaxFileSize)) }
        }
        let total = files.reduce(0) { $0 + $1.count }
        var decoded: [DecodedText] = []
        decoded.reserveCapacity(files.count)
        var suspicious = 0
        let tGate = clock.measure {
            for b in files where b.withUnsafeBufferPointer({ MojibakeRepair.mightContainMojibake(utf8: $0) }) { suspicious += 1 }
        }
        let tDecode = try clock.measure { for b in files { decoded.append(try TextDecoder.decode(b)) } }
        var kinds = 0
        let tMeta = clock.measure {
            for (f, d) in zip(scan.files, decoded) {
                let folder = f.id.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(f.id[..<$0]) } ?? ""
                let m = MetadataExtractor.extract(text: d.text, folder: folder)
                kinds &+= m.kind.hashValue & 1
            }
        }
        // End to end, as the indexer calls it.
        var docs: [Document] = []
        docs.reserveCapacity(scan.files.count)
        let tLoad = try clock.measure { for f in scan.files { docs.append(try DocumentLoader.load(f)) } }
        let mb = Double(total) / 1e6
        let changed = decoded.filter { !$0.notes.isEmpty }.count
        print(String(format: "INGEST files=%d MB=%.1f scan=%.3fs read=%.3fs gate=%.3fs (%d suspicious) decode=%.3fs (%.0f MB/s, %d changed) "
            + "metadata=%.3fs (%.0f MB/s) load=%.3fs (%.0f MB/s) scan+decode+metadata=%.3fs",
            files.count, mb, Self.seconds(tScan), Self.seconds(tRead), Self.seconds(tGate), suspicious, Self.seconds(tDecode), mb / Self.seconds(tDecode), changed,
            Self.seconds(tMeta), mb / Self.seconds(tMeta), Self.seconds(tLoad), mb / Self.seconds(tLoad),
            Self.seconds(tScan) + Self.seconds(tDecode) + Self.seconds(tMeta)))
        if let dump = Self.dump {
            var out = ""
            for d in docs {
                out += "\(d.id)\t\(d.title ?? "-")\t\(d.date?.iso ?? "-")\t\(d.number ?? "-")\t\(d.kind)\t\(d.encoding)\t"
                    + "\(d.notes.joined(separator: " | "))\t\(String(Self.hash(d.text), radix: 16))\n"
            }
            try out.write(toFile: dump, atomically: true, encoding: .utf8)
        }
        #expect(docs.count == scan.files.count)
    }
}
