/// Errors of the search layer that a user can act on.
public enum SearchError: Error, Sendable, CustomStringConvertible {
    case corpusMissing(path: String)
    case corpusNotAFolder(path: String)
    /// An update found no document where the index holds some.
    case corpusEmptied(path: String, documents: Int)
    /// The corpus folder exists but cannot be listed (permissions): nothing is published.
    case corpusUnreadable(path: String, reason: String)
    /// No index where one was asked for, and no corpus to build it from.
    case indexMissing(index: String, corpus: String)
    case documentNotFound(id: String)
    /// A malformed query; `hint` shows how to write it.
    case badQuery(query: String, problem: String, hint: String)

    /// A query as an error message quotes it: a pasted page is cut to its first 80 characters,
    /// so the problem stays on one readable line.
    static func shortened(_ query: String) -> String {
        query.count <= 80 ? query : String(query.prefix(80)) + "…"
    }

    public var description: String {
        switch self {
        case .corpusMissing(let p): return "corpus folder '\(p)' does not exist: pass --corpus DIR with your documents"
        case .corpusEmptied(let p, let n):
            return "corpus folder '\(p)' holds no document, but the index holds \(n); the index was left as it was (is the folder mounted?). To empty the index on purpose, run vnsearch index --full"
        case .corpusNotAFolder(let p): return "'\(p)' is a file, not a folder: pass --corpus the folder that holds the documents"
        case .corpusUnreadable(let p, let why):
            return "corpus folder '\(p)' cannot be read (\(why)); the index was left as it was: give this user read access to it"
        case .indexMissing(let index, let corpus):
            return "no index in '\(index)' and no corpus folder '\(corpus)' to build one from: pass --index with the folder `vnsearch index` built, or --corpus with your documents"
        case .documentNotFound(let id): return "no document '\(id)' in the index: list ids with `vnsearch search --json`"
        case .badQuery(let q, let problem, let hint): return "bad query '\(Self.shortened(q))': \(problem). \(hint)"
        }
    }
}

import VNEncoding

/// Human name of a stored encoding code ("tcvn3" → "TCVN3 (ABC, TCVN 5712:1993)").
public func encodingDisplayName(_ code: String) -> String {
    SourceEncoding(rawValue: code)?.displayName ?? code
}
