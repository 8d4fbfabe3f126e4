import Foundation
import Testing
import VNEncoding
import VNIndex
@testable import VNSearch

@Suite("Legacy encodings are read, indexed and searchable")
struct LegacyEncodingTests {
    static let original = """
    BÁO CÁO
    Kết quả giải quyết kiến nghị cử tri sau kỳ họp thứ 4 HĐND phường Thủy Dương khóa X
    Thực hiện Luật tổ chức chính quyền địa phương, Thường trực HĐND phường Thủy Dương đã tổng hợp \
    ý kiến, kiến nghị của cử tri gửi đến kỳ họp. Ủy ban nhân dân phường đã chỉ đạo các bộ phận chuyên \
    môn giải quyết dứt điểm các kiến nghị thuộc thẩm quyền, báo cáo kết quả với Thường trực HĐND.
    """

    @Test func tcvn3AndVniFilesAreDecodedAndFound() throws {
        let corpus = temporaryFolder("legacy-corpus")
        let index = temporaryFolder("legacy-index")
        for (name, enc) in [("tcvn3.txt", SourceEncoding.tcvn3), ("vni.txt", .vni), ("viscii.txt", .viscii)] {
            let bytes = try #require(LegacyCodec.encode(Self.original, as: enc))
            #expect(String(validating: bytes, as: UTF8.self) == nil, "\(enc) bytes must not be valid UTF-8 for this test")
            try Data(bytes).write(to: URL(fileURLWithPath: corpus + "/" + name))
        }
        var options = BuildOptions(corpus: corpus, index: index)
        options.full = true
        let summary = try IndexBuilder.build(options)
        #expect(summary.documents == 3)
        #expect(summary.skipped.isEmpty)
        #expect(summary.converted.values.reduce(0, +) == 3)
        let reader = try IndexReader(directory: IndexDirectory(path: index))
        let r = try Searcher(reader: reader).search("\"Thủy Dương\"")
        #expect(Set(r.hits.map(\.id)) == ["tcvn3.txt", "vni.txt", "viscii.txt"])
        // The stored text is the decoded Unicode, and the document says how it was read.
        for (s, seg) in reader.segments.enumerated() {
            for d in 0..<seg.documentCount where !reader.isDeleted(segment: s, doc: d) {
                let text = try seg.text(d)
                #expect(text.precomposedStringWithCanonicalMapping == Self.original.precomposedStringWithCanonicalMapping)
                #expect(try seg.docInfo(d).encoding != "utf-8")
            }
        }
    }
}
