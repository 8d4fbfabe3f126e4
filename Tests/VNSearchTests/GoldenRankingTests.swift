import Foundation
import Testing
@testable import VNSearch

/// Top results of a few queries on the bundled corpus, kept in Golden/ranking.txt. A ranking change
/// shows up here as a diff; `VN_RECORD_GOLDEN=1 swift test --filter GoldenRankingTests` rewrites the
/// file (and fails, so a recording is never mistaken for a pass).
@Suite("Golden ranking on the bundled corpus")
struct GoldenRankingTests {
    static let queries = [
        "kiến nghị cử tri", "\"kiến nghị cử tri\"", "kien nghi cu tri", "Thủy Dương", "\"thuy duong\"",
        "ngân sách", "\"kỳ họp\" HĐND -\"tổ dân phố\"", "phòng chống lụt bão", "chuyển đổi số", "Nghị quyết",
    ]
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/ranking.txt").path

    func render() throws -> String {
        var out = ""
        for q in Self.queries {
            let r = try search(q) { $0.limit = 5; $0.snippets = false }
            out += "## \(q)  (total \(r.total)\(r.relaxed ? ", relaxed" : ""))\n"
            for (i, h) in r.hits.enumerated() { out += "\(i + 1). \(h.id)\n" }
        }
        return out
    }

    @Test func topFiveIdsMatchTheGoldenFile() throws {
        let actual = try render()
        if ProcessInfo.processInfo.environment["VN_RECORD_GOLDEN"] != nil {
            try actual.write(toFile: Self.path, atomically: true, encoding: .utf8)
            Issue.record("recorded \(Self.path); run again without VN_RECORD_GOLDEN")
            return
        }
        let expected = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(actual == expected, "ranking changed; if intended, re-record with VN_RECORD_GOLDEN=1")
    }
}
