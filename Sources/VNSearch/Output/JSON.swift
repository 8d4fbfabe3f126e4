/// A minimal JSON value and writer (the CLI's `--json` contract), without Foundation so that a
/// whole `vnsearch search` process starts fast.
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    /// Keys keep their order.
    case object([(String, JSON)])

    public static func str(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    public func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite {
                // Three decimals are plenty for scores and milliseconds.
                let r = (d * 1000).rounded() / 1000
                out += r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) + ".0" : String(r)
            } else { out += "null" }
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() { if i > 0 { out += "," }; v.write(into: &out) }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += "," }
                JSON.escape(k, into: &out); out += ":"; v.write(into: &out)
            }
            out += "}"
        }
    }

    /// Appends `s` as a JSON string: runs of bytes that need no escape are copied in bulk.
    static func escape(_ s: String, into out: inout String) {
        out += "\""
        var s = s
        s.withUTF8 { u in
            var runStart = 0
            var i = 0
            func flush(_ upTo: Int) {
                if upTo > runStart { out += String(decoding: UnsafeBufferPointer(rebasing: u[runStart..<upTo]), as: UTF8.self) }
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
                    out += e
                    i += c == 0xE2 ? 3 : 1
                    runStart = i
                } else {
                    i += 1
                }
            }
            flush(u.count)
        }
        out += "\""
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
                        .object([("text", .string(s.text)), ("highlights", .array(s.highlights.map { .array($0.map { .int($0) }) }))])
                    })),
                ])
            })),
        ])
    }
}

extension MentionsResult {
    /// `{"query", "total", "documents", "mentions": [{"id", "line", "column", "match", "context"}]}`
    public var json: JSON {
        .object([
            ("query", .string(query)), ("total", .int(mentions.count)), ("documents", .int(documents)),
            ("mentions", .array(mentions.map { m in
                .object([("id", .string(m.id)), ("line", .int(m.line)), ("column", .int(m.column)),
                         ("match", .string(m.match)), ("context", .string(m.context))])
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
