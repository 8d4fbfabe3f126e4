/// The text of one file after decoding, and how it was decoded.
///
/// Decoding is the first stage of ingestion: everything after it (analysis, the stored text,
/// snippets, mentions) works on `text`, so what a user sees is the repaired Unicode.
public struct DecodedText: Sendable, Equatable {
    /// The decoded text (byte-order mark removed), not normalized: NFD stays NFD.
    public var text: String
    /// The encoding the bytes were read as.
    public var encoding: SourceEncoding
    /// Human-readable notes on what was converted or repaired, for `show` and `--verbose`.
    public var notes: [String]
    /// Bytes that were not valid UTF-8 in a file read as UTF-8 nonetheless (shown as U+FFFD).
    public var invalidBytes = 0

    public init(text: String, encoding: SourceEncoding, notes: [String] = [], invalidBytes: Int = 0) {
        self.text = text
        self.encoding = encoding
        self.notes = notes
        self.invalidBytes = invalidBytes
    }
}

/// Encodings vnsearch can read.
public enum SourceEncoding: String, Sendable, Equatable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case tcvn3 = "tcvn3"
    case vni = "vni-windows"
    case viscii = "viscii"
    case windows1258 = "windows-1258"

    /// A name for people (index summary, `vnsearch show`).
    public var displayName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf8BOM: return "UTF-8 with BOM"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .tcvn3: return "TCVN3 (ABC, TCVN 5712:1993)"
        case .vni: return "VNI-Windows"
        case .viscii: return "VISCII"
        case .windows1258: return "Windows-1258"
        }
    }

    /// True for the pre-Unicode 8-bit encodings.
    public var isLegacy: Bool {
        switch self {
        case .tcvn3, .vni, .viscii, .windows1258: return true
        default: return false
        }
    }
}

/// Why a file's bytes could not be turned into text.
public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Empty file: nothing to index.
    case empty
    /// NUL bytes or other control bytes: not a text file.
    case binary
    /// Not UTF-8/UTF-16 and no legacy Vietnamese encoding fits; `reason` says why.
    case unknownEncoding(reason: String)

    /// The reason given when a file is not UTF-8/UTF-16 and holds too few accented words to tell
    /// the legacy encodings apart: the file is reported rather than guessed.
    public static let tooShortToDecidePrefix = "too short to decide"

    /// `.unknownEncoding` with the "too short to decide" reason.
    public static func tooShortToDecide(_ detail: String) -> DecodingError {
        .unknownEncoding(reason: "\(tooShortToDecidePrefix): \(detail)")
    }

    /// True for the error `tooShortToDecide(_:)` makes.
    public var isTooShortToDecide: Bool {
        if case .unknownEncoding(let reason) = self { return reason.hasPrefix(Self.tooShortToDecidePrefix) }
        return false
    }

    public var description: String {
        switch self {
        case .empty: return "empty file"
        case .binary: return "binary file (holds NUL or control bytes), not text"
        case .unknownEncoding(let reason): return "unknown encoding: \(reason); save it as UTF-8"
        }
    }
}
