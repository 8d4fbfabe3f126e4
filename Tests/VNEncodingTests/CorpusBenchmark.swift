import Foundation
import Testing
@testable import VNEncoding

/// Opt-in: `VNENC_CORPUS=/path/docs.jsonl swift test -c release -Xswiftc -enable-testing --filter CorpusBenchmark`.
/// Reads one JSON document per line (its "text"), then
/// - times `TextDecoder.decode` over the clean UTF-8 texts (MB/s) and counts texts that took the
///   slow path or were changed (a change in clean text is a false positive);
/// - round-trips a sample through every legacy encoding and mojibake form.
@Suite struct CorpusBenchmark {
    static let path = ProcessInfo.processInfo.environment["VNENC_CORPUS"]

    static func texts(limit: Int = .max) throws -> [String] {
        guard let path else { return [] }
        let data = try String(contentsOfFile: path, encoding: .utf8)
        var out: [String] = []
        for line in data.split(separator: "\n") where out.count < limit {
            if let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let t = obj["text"] as? String {
                out.append(t)
            }
        }
        return out
    }

    @Test(.enabled(if: path != nil)) func cleanUTF8Throughput() throws {
        let docs = try Self.texts().map { Array($0.utf8) }
        let total = docs.reduce(0) { $0 + $1.count }
        var suspicious = 0
        for d in docs where d.withUnsafeBufferPointer({ MojibakeRepair.mightContainMojibake(utf8: $0) }) { suspicious += 1 }
        var changed: [String] = []
        var bytesOut = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for d in docs {
                let r = try TextDecoder.decode(d)
                bytesOut &+= r.text.utf8.count
                if !r.notes.isEmpty { changed.append(r.notes.joined(separator: " | ")) }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Fast path alone: the texts that did not need a closer look.
        let fast = docs.filter { !$0.withUnsafeBufferPointer({ MojibakeRepair.mightContainMojibake(utf8: $0) }) }
        let fastBytes = fast.reduce(0) { $0 + $1.count }
        let e2 = try clock.measure { for d in fast { bytesOut &+= try TextDecoder.decode(d).text.utf8.count } }
        let s2 = Double(e2.components.seconds) + Double(e2.components.attoseconds) / 1e18
        print("BENCH docs=\(docs.count) MB=\(Double(total) / 1e6) all: \(Double(total) / 1e6 / seconds) MB/s; "
            + "fast-path docs=\(fast.count) \(Double(fastBytes) / 1e6 / s2) MB/s; suspicious=\(suspicious) changed=\(changed.count)")
        for c in changed.prefix(15) { print("CHANGED \(c)") }
        #expect(bytesOut > 0)
    }

    @Test(.enabled(if: path != nil)) func corpusSampleRoundTrips() throws {
        let docs = try Self.texts(limit: 3000).enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
        var failures: [SourceEncoding: Int] = [:], tried: [SourceEncoding: Int] = [:]
        var mojibakeFailures: [String: Int] = [:]
        var examples: [String] = []
        for doc in docs {
            let nfc = doc.precomposedStringWithCanonicalMapping
            for e in [SourceEncoding.tcvn3, .vni, .viscii, .windows1258] {
                guard let bytes = LegacyCodec.encode(nfc, as: e) else { continue }
                tried[e, default: 0] += 1
                let got = try? TextDecoder.decode(bytes)
                if got?.text != nfc {
                    failures[e, default: 0] += 1
                    if examples.count < 10 { examples.append("\(e): \(String(describing: got?.encoding)) \(nfc.prefix(80))") }
                }
            }
            let forms: [(String, String?)] = [
                ("utf8", String(String.UnicodeScalarView(Array(nfc.utf8).map(Windows1252.scalar)))),
                ("tcvn3", LegacyCodec.encode(nfc, as: .tcvn3).flatMap { $0.contains { $0 < 0x20 && $0 != 0x0A || ($0 >= 0x80 && $0 < 0xA0) } ? nil : $0 }.map { String(String.UnicodeScalarView($0.map(Windows1252.scalar))) }),
                ("vni", LegacyCodec.encode(nfc, as: .vni).map { String(String.UnicodeScalarView($0.map(Windows1252.scalar))) }),
            ]
            for (name, garbled) in forms {
                guard let garbled else { continue }
                let got = try? TextDecoder.decode(Array(garbled.utf8))
                if got?.text != nfc {
                    mojibakeFailures[name, default: 0] += 1
                    if let t = got?.text, examples.count < 30 {
                        let a = t.split(separator: " "), b = nfc.split(separator: " ")
                        let d = zip(a, b).filter { $0 != $1 }.prefix(4).map { "«\($0)»≠«\($1)»" }
                        examples.append("\(name): \(d)")
                    }
                }
            }
        }
        print("ROUNDTRIP docs=\(docs.count) tried=\(tried) failures=\(failures) mojibakeFailures=\(mojibakeFailures)")
        for e in examples { print("EX \(e)") }
    }
}
