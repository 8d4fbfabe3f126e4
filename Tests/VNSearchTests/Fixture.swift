import Foundation
import VNAnalysis
import VNIndex
import VNIngest
@testable import VNSearch

/// The repository root, found from this file's path (tests must pass on the bundled corpus alone).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let corpusPath = packageRoot + "/corpus"

func temporaryFolder(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "vnsearch-tests-\(getpid())-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A full build of `files` (id → text) in a temporary corpus folder, opened.
func temporaryIndex(_ name: String, _ files: [(id: String, text: String)]) throws -> IndexReader {
    let corpus = temporaryFolder(name + "-corpus"), index = temporaryFolder(name + "-index")
    for f in files { try f.text.write(toFile: corpus + "/" + f.id, atomically: true, encoding: .utf8) }
    var options = BuildOptions(corpus: corpus, index: index)
    options.full = true
    _ = try IndexBuilder.build(options)
    return try IndexReader(directory: IndexDirectory(path: index))
}

/// One index of the bundled corpus, built once for the whole test run.
let bundledIndex: IndexReader = {
    let dir = temporaryFolder("bundled")
    var options = BuildOptions(corpus: corpusPath, index: dir)
    options.full = true
    _ = try! IndexBuilder.build(options)
    return try! IndexReader(directory: IndexDirectory(path: dir))
}()

/// Every document of the bundled corpus as the indexer loads it (for brute-force checks).
let bundledDocuments: [Document] = {
    let scan = CorpusScanner(root: corpusPath).scan()
    return scan.files.filter { $0.id != "README.md" }.compactMap { try? DocumentLoader.load($0) }
}()

func search(_ q: String, _ configure: (inout SearchOptions) -> Void = { _ in }) throws -> SearchResult {
    var o = SearchOptions()
    o.limit = 1000
    configure(&o)
    return try Searcher(reader: bundledIndex).search(q, options: o)
}

/// Brute force: ids of documents whose text holds the syllables of `phrase` adjacent and in order,
/// under the matching rule, computed from the analyzer alone (no index).
func bruteForcePhrase(_ phrase: String) -> Set<String> {
    let analyzer = Analyzer()
    let terms = analyzer.analyze(phrase).map(\.key)
    var out = Set<String>()
    for doc in bundledDocuments {
        let tokens = analyzer.analyze(doc.text)
        let unaccented = isTypedWithoutDiacritics(tokens)
        guard tokens.count >= terms.count else { continue }
        for i in 0...(tokens.count - terms.count) {
            if (0..<terms.count).allSatisfy({ k in keyMatches(tokens[i + k].key, terms[k], unaccented: unaccented) }) {
                out.insert(doc.id)
                break
            }
        }
    }
    return out
}

func isTypedWithoutDiacritics(_ tokens: [AnalyzedToken]) -> Bool {
    let words = tokens.filter { !$0.isNumber }
    let marked = words.filter(\.key.hasDiacritics).count
    return words.count >= 20 && marked * 5 < words.count
}

/// The matching rule, written independently of the engine's code.
func keyMatches(_ token: TermKey, _ query: TermKey, unaccented: Bool) -> Bool {
    if !query.hasDiacritics || unaccented { return token.folded == query.folded }
    return token.exact == query.exact
}
