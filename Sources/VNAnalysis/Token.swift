/// One token as the analyzer reports it.
///
/// `term` is the index key: the folded key, a 0 byte, then the exact suffix (see `TermKey`).
/// It points into the analyzer's scratch buffer and is valid only inside the callback.
public struct Token {
    /// 0, 1, 2 … in the analyzed text.
    public var position: Int
    /// Byte range in the ORIGINAL UTF-8 text (slicing the input by it gives what the document says).
    public var start: Int
    public var end: Int
    /// Folded key + 0x00 + exact suffix.
    public var term: UnsafeBufferPointer<UInt8>
    /// Length of the folded key (the bytes before the 0 separator).
    public var foldedCount: Int
    /// Whether the token carries a tone, a quality mark or đ (or another diacritic).
    public var hasDiacritics: Bool
    /// Whether the token holds only digits.
    public var isNumber: Bool

    /// The key shared by every variant of this syllable: folded key + 0x00.
    public var foldedPrefix: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: term[0...foldedCount]) }
}

/// A token's keys as values, for queries and tests (allocates; the indexer uses `Token`).
public struct TermKey: Hashable, Sendable, CustomStringConvertible {
    /// The syllable with every mark removed and đ → d ("Đường" → "duong").
    public var folded: String
    /// The full index key: folded + "\0" + suffix, where the suffix is the tone digit (0 none,
    /// 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng) followed by the toneless letters when they carry quality
    /// marks ("đương"), or "x" + the NFC lower-case form for tokens outside Vietnamese spelling.
    public var exact: [UInt8]
    /// Whether the user typed any diacritic: such a query term matches its exact key only.
    public var hasDiacritics: Bool

    public init(folded: String, exact: [UInt8], hasDiacritics: Bool) {
        self.folded = folded; self.exact = exact; self.hasDiacritics = hasDiacritics
    }

    /// Folded key + 0x00: every exact variant of the syllable starts with it, and so does the key of
    /// the same syllable in a document typed without diacritics.
    public var foldedPrefix: [UInt8] { Array(folded.utf8) + [0] }

    /// Human-readable form of the exact key: "thuy·3", "duong·2đương".
    public var description: String {
        let suffix = exact.suffix(from: folded.utf8.count + 1)
        return folded + "·" + String(decoding: suffix, as: UTF8.self)
    }
}

/// A token with its keys as values.
public struct AnalyzedToken: Hashable, Sendable {
    public var position: Int
    public var start: Int
    public var end: Int
    public var key: TermKey
    public var isNumber: Bool
}
