/// A minimal JSON value and writer (the CLI's `--json` contract), without Foundation so that a
/// whole `vnsearch search` process starts fast.
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A string held as UTF-8 bytes (valid UTF-8: snippets cut from stored text), written without
    /// being made a `String` first.
    case utf8([UInt8])
    case array([JSON])
    /// Keys keep their order.
    case object([(String, JSON)])

    public static func str(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The value as UTF-8 JSON text.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    /// Appends the value as UTF-8 JSON text: bytes, so that no piece is validated as a `String`
    /// on its way out.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d):
            if d.isFinite {
                // Three decimals are plenty for scores and milliseconds.
                let r = (d * 1000).rounded() / 1000
                out += (r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) + ".0" : String(r)).utf8
            } else { out += "null".utf8 }
        case .string(let s):
            var s = s
            s.withUTF8 { JSON.escape($0, into: &out) }
        case .utf8(let u): u.withUnsafeBufferPointer { JSON.escape($0, into: &out) }
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; v.write(into: &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.string(k).write(into: &out); out.append(UInt8(ascii: ":")); v.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends UTF-8 `u` as a JSON string: runs of bytes that need no escape are copied in bulk.
    static func escape(_ u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        func flush(_ upTo: Int) {
            if upTo > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<upTo])) }
        }
        while i < u.count {
            let c = u[i]
            var escaped: String? = nil
            switch c {
            case 0x22: escaped = "\\\""
            case 0x5C: escaped = "\\\\"
            case 0x0A: escaped = "\\n"
            case 0x0D: escaped = "\\r"
            case 0x09: escaped = "\\t"
            case 0..<0x20:
                let h = String(c, radix: 16)
                escaped = "\\u" + String(repeating: "0", count: 4 - h.count) + h
            case 0xE2 where i + 2 < u.count && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
                escaped = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"  // line/paragraph separators break JS
            default: break
            }
            if let e = escaped {
                flush(i)
                out += e.utf8
                i += c == 0xE2 ? 3 : 1
                runStart = i
            } else {
                i += 1
            }
        }
        flush(u.count)
        out.append(UInt8(ascii: "\""))
    }
}

extension SearchResult {
    /// `{"query", "total", "relaxed", "took_ms", "hits": [{"id", "title", "kind", "date", "number", "score", "snippets": [{"text", "highlights"}]}]}`
    public var json: JSON {
        .object([
            ("query", .string(query)), ("total", .int(total)), ("relaxed", .bool(relaxed)), ("took_ms", .double(tookMs)),
            ("hits", .array(hits.map { h in
                .object([
                    ("id", .string(h.id)), ("title", .str(h.title)), ("kind", .string(h.kind.rawValue)),
                    ("date", .str(h.date?.iso)), ("number", .str(h.number)), ("score", .double(h.score)),
                    ("snippets", .array(h.snippets.map { s in
                        .object([("text", .utf8(s.utf8)), ("highlights", .array(s.highlights.map { .array($0.map { .int($0) }) }))])
                    })),
                ])
            })),
        ])
    }
}

extension MentionsResult {
    /// `{"query", "total", "documents", "mentions": [{"id", "line", "column", "match", "context",
    /// "context_column"}]}`
    public var json: JSON {
        .object([
            ("query", .string(query)), ("total", .int(mentions.count)), ("documents", .int(documents)),
            ("mentions", .array(mentions.map { m in
                .object([("id", .string(m.id)), ("line", .int(m.line)), ("column", .int(m.column)),
                         ("match", .string(m.match)), ("context", .string(m.context)),
                         ("context_column", .int(m.contextColumn))])
            })),
        ])
    }
}

extension BuildSummary {
    public var json: JSON {
        var reasons: [String: Int] = [:]
        for s in skipped { reasons[s.reason.code, default: 0] += 1 }
        return .object([
            ("generation", .int(generation)), ("full", .bool(full)), ("documents", .int(documents)),
            ("added", .int(added)), ("updated", .int(updated)), ("removed", .int(removed)), ("unchanged", .int(unchanged)),
            ("kept", .int(kept)),
            ("skipped", .int(skipped.count)), ("ignored", .int(ignored)),
            ("skipped_by_reason", .object(reasons.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("skipped_files", .array(skipped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason.code)), ("detail", .string($0.reason.description))]) })),
            ("converted", .object(converted.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("converted_files", .array(conversions.map { .object([("id", .string($0.id)), ("encoding", .string($0.encoding)), ("notes", .array($0.notes.map { .string($0) }))]) })),
            ("tokens", .int(tokens)), ("bytes_read", .int(bytesRead)), ("index_bytes", .int(indexBytes)),
            ("stored_bytes", .int(storedBytes)), ("segments", .int(segments)), ("seconds", .double(seconds)),
            ("warnings", .array(warnings.map { .string($0) })),
        ])
    }
}
