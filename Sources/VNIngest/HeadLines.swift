#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first lines of a document, each with an accent- and case-folded ASCII key for matching.
///
/// Metadata lives at the top of a document, so extractors look only at the first `maxBytes`
/// UTF-8 bytes and the first `maxLines` non-blank lines. The key folds Vietnamese letters to
/// their base letter (ế → e, đ → d, Ư → u), drops combining marks, lower-cases ASCII and
/// collapses white space: NFC and NFD input, upper and lower case, and old or new tone
/// placement all give the same key ("Ngày" and "NGÀY" and "Nga\u{300}y" → "ngay").
struct HeadLines {
    struct Line {
        /// The line's original bytes, white space trimmed.
        var bytes: ArraySlice<UInt8>
        /// Folded key: lower-case ASCII letters, digits, punctuation; other scalars are 0x80.
        var key: [UInt8]
        /// For each key byte, the offset of the original scalar it came from, in `bytes`' indices.
        /// Computed when asked for (only `original` needs it): folding `bytes` again gives the
        /// same key, since what trimming removed folds to nothing or to trailing spaces.
        var origin: [Int] { HeadLines.origins(bytes, keyCount: key.count) }

        var text: String { String(decoding: bytes, as: UTF8.self) }

        /// The original text behind key bytes `range`.
        func original(_ range: Range<Int>) -> String {
            let origin = self.origin
            let start = origin[range.lowerBound]
            let end = range.upperBound < origin.count ? origin[range.upperBound] : bytes.endIndex
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }

        func keyHasPrefix(_ word: StaticString) -> Bool { HeadLines.match(key, at: 0, word) }
        func keyEquals(_ word: StaticString) -> Bool { key.count == word.utf8CodeUnitCount && keyHasPrefix(word) }
        func keyContains(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard n > 0, key.count >= n else { return key.count >= n }
            return word.withUTF8Buffer { w in
                key.withUnsafeBufferPointer { k in
                    let first = w[0]
                    let last = k.count - n
                    var i = 0
                    while i <= last {
                        if k[i] == first {
                            var j = 1
                            while j < n, k[i + j] == w[j] { j += 1 }
                            if j == n { return true }
                        }
                        i += 1
                    }
                    return false
                }
            }
        }

        /// `keyContains("ngay cap nhat") || keyContains("ngay dang")`, in one pass: finds each
        /// "y " with memchr ("y" is rarer than "n") and checks the bytes around it.
        var keyContainsNewsMark: Bool {
            key.withUnsafeBufferPointer { k in
                guard let base = k.baseAddress, k.count >= 9 else { return false }
                var from = 3  // "nga" before the "y"
                while from < k.count {
                    guard let hit = memchr(base + from, 0x79, k.count - from) else { return false }
                    let y = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
                    if y + 1 < k.count, k[y + 1] == 0x20, k[y - 3] == 0x6E, k[y - 2] == 0x67, k[y - 1] == 0x61,
                       HeadLines.match(key, at: y + 2, "cap nhat") || HeadLines.match(key, at: y + 2, "dang") {
                        return true
                    }
                    from = y + 1
                }
                return false
            }
        }

        /// Has letters and none of them is lower case ("KẾ HOẠCH", "UBND TỈNH").
        var isUpperCase: Bool {
            // ASCII bytes decided directly; other scalars by their Unicode properties.
            var letters = false
            var allASCII = true
            for b in bytes {
                if b >= 0x80 { allASCII = false; break }
                if b >= 0x61 && b <= 0x7A { return false }
                if b >= 0x41 && b <= 0x5A { letters = true }
            }
            if allASCII { return letters }
            // Vietnamese letters decided by their code points (Latin-1 letters, Latin Extended-A
            // pairs, ơ ư, Latin Extended Additional pairs); other scalars by their properties.
            letters = false
            var slow = false
            for s in text.unicodeScalars {
                let v = s.value
                switch v {
                case 0x41...0x5A, 0xC0...0xD6, 0xD8...0xDE: letters = true
                case 0x61...0x7A, 0xDF...0xF6, 0xF8...0xFF: return false
                case 0x100...0x137, 0x14A...0x177, 0x1EA0...0x1EF9:
                    if v & 1 == 1 { return false }
                    letters = true
                case 0x1A0, 0x1AF: letters = true
                case 0x1A1, 0x1B0: return false
                case 0...0x40, 0x5B...0x60, 0x7B...0x7F, 0x2000...0x206F: continue  // ASCII / general punctuation: not letters
                default: slow = true
                }
                if slow { break }
            }
            if !slow { return letters }
            letters = false
            for s in text.unicodeScalars where s.properties.isAlphabetic {
                if s.properties.isLowercase { return false }
                letters = true
            }
            return letters
        }

        /// Number of ASCII letters in the key (folded letters included).
        var letterCount: Int { key.reduce(0) { $0 + (HeadLines.isLetter($1) ? 1 : 0) } }
    }

    var lines: [Line]

    init(_ text: String, maxBytes: Int = 4096, maxLines: Int = 40) {
        var text = text
        // One copy of the head's bytes (native strings are contiguous: no decoding).
        let head: [UInt8] = text.withUTF8 { all in
            var n = min(all.count, maxBytes)
            if n < all.count {
                // Do not cut a scalar in two.
                while n > 0, all[n] & 0xC0 == 0x80 { n -= 1 }
            }
            return Array(all[0..<n])
        }
        if head.isEmpty { lines = []; return }
        var found: [Line] = []
        // Scratch for one line's key (a key byte per scalar at most), copied out once per line.
        let keyScratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: head.count)
        defer { keyScratch.deallocate() }
        HeadLines.foldTable.withUnsafeBufferPointer { table in
            head.withUnsafeBufferPointer { buf in
                var start = 0
                let n = buf.count
                let base = buf.baseAddress!
                while start <= n && found.count < maxLines {
                    var i = n
                    if start < n, let nl = memchr(base + start, 0x0A, n - start) {
                        i = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - base
                    }
                    if let line = HeadLines.makeLine(head, buf, start..<i, table, keyScratch) { found.append(line) }
                    start = i + 1
                }
            }
        }
        lines = found
    }

    /// Folds and trims one line; nil when it is blank. Markdown's marks around a line ("# BÁO CÁO",
    /// "**ỦY BAN NHÂN DÂN**", "> …") are not part of it: the line is what they mark.
    private static func makeLine(_ storage: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                 _ table: UnsafeBufferPointer<UInt8>,
                                 _ keyOut: UnsafeMutableBufferPointer<UInt8>) -> Line? {
        var lo = range.lowerBound, hi = range.upperBound
        @inline(__always) func mark(_ b: UInt8) -> Bool { b == 0x23 || b == 0x2A || b == 0x5F || b == 0x20 || b == 0x09 }
        while lo < hi, mark(bytes[lo]) || bytes[lo] == 0x3E { lo += 1 }
        while hi > lo, mark(bytes[hi - 1]) || bytes[hi - 1] == 0x0D { hi -= 1 }
        var first = 0
        let count = foldLine(bytes, lo..<hi, table, keyOut, nil, &first)
        guard count > 0 else { return nil }
        let key = Array(keyOut[0..<count])
        // Trailing spaces, tabs, CR, no-break / zero-width / ideographic spaces.
        var end = hi
        var trimmed = true
        while trimmed, end > first {
            trimmed = false
            while end > first, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x0C { end -= 1; trimmed = true }
            if end - first >= 2, bytes[end - 2] == 0xC2, bytes[end - 1] == 0xA0 { end -= 2; trimmed = true }
            if end - first >= 3, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80, bytes[end - 1] == 0x8B { end -= 3; trimmed = true }
            if end - first >= 3, bytes[end - 3] == 0xEF, bytes[end - 2] == 0xBB, bytes[end - 1] == 0xBF { end -= 3; trimmed = true }
            if end - first >= 3, bytes[end - 3] == 0xE3, bytes[end - 2] == 0x80, bytes[end - 1] == 0x80 { end -= 3; trimmed = true }
        }
        return Line(bytes: storage[first..<end], key: key)
    }

    /// The origins of a line's key bytes, by folding its bytes again.
    static func origins(_ bytes: ArraySlice<UInt8>, keyCount: Int) -> [Int] {
        let n = bytes.count
        let keyOut = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(n, 1))
        defer { keyOut.deallocate() }
        var origin = [Int](repeating: 0, count: max(n, 1))
        var first = 0
        let count = foldTable.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { buf in
                origin.withUnsafeMutableBufferPointer { o in foldLine(buf, 0..<n, table, keyOut, o.baseAddress, &first) }
            }
        }
        assert(count == keyCount)
        return origin[0..<count].map { $0 + bytes.startIndex }
    }

    /// Folds `range` of `bytes` into `keyOut` (white space collapsed, trailing space dropped);
    /// returns the key length. `originOut`, when given, gets each key byte's offset in `bytes`;
    /// `first` the offset of the first.
    @inline(__always)
    private static func foldLine(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ table: UnsafeBufferPointer<UInt8>,
                                 _ keyOut: UnsafeMutableBufferPointer<UInt8>, _ originOut: UnsafeMutablePointer<Int>?,
                                 _ first: inout Int) -> Int {
        var count = 0
        var i = range.lowerBound
        let end0 = range.upperBound
        var last: UInt8 = 0x20  // the key's last byte; "space" before the first
        while i < end0 {
            let at = i
            let b0 = bytes[i]
            let f: UInt8
            if b0 < 0x80 {
                // ASCII folds through the table too (A-Z lower-cased, blanks to a space).
                i += 1
                f = table[Int(b0)]
            } else {
                let scalar: UInt32
                if b0 & 0xE0 == 0xC0, i + 1 < end0 {
                    scalar = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F); i += 2
                } else if b0 & 0xF0 == 0xE0, i + 2 < end0 {
                    scalar = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F); i += 3
                } else if b0 & 0xF8 == 0xF0, i + 3 < end0 {
                    scalar = 0x10000; i += 4
                } else {
                    scalar = 0xFFFD; i += 1
                }
                let g = scalar < foldTableLimit ? table[Int(scalar)] : (fold(scalar) ?? dropped)
                if g == dropped { continue }
                f = g
            }
            // A space right after a space (or at the start) is not kept.
            if f == 0x20 && last == 0x20 { continue }
            if count == 0 { first = at }
            keyOut[count] = f
            if let originOut { originOut[count] = at }
            count += 1
            last = f
        }
        while count > 0, keyOut[count - 1] == 0x20 { count -= 1 }
        return count
    }

    // MARK: Folding

    static func isLetter(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isAlnum(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == 0x80 }

    /// True when `key[at...]` starts with `word`.
    static func match(_ key: [UInt8], at: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard at >= 0, at + n <= key.count else { return false }
        return word.withUTF8Buffer { w in
            for j in 0..<n where key[at + j] != w[j] { return false }
            return true
        }
    }

    /// `word` at `at` as a whole word (no letter or digit right before or after).
    static func matchWord(_ key: [UInt8], at: Int, _ word: StaticString) -> Bool {
        guard match(key, at: at, word) else { return false }
        let end = at + word.utf8CodeUnitCount
        if at > 0, isAlnum(key[at - 1]) { return false }
        if end < key.count, isAlnum(key[end]) { return false }
        return true
    }

    /// `fold` of every scalar below `foldTableLimit` (Latin, combining marks, Vietnamese letters,
    /// general punctuation), `dropped` for nil.
    static let foldTableLimit: UInt32 = 0x2100
    static let dropped: UInt8 = 0xFF
    static let foldTable: [UInt8] = (0..<foldTableLimit).map { fold($0) ?? dropped }

    /// The key byte for one scalar: nil drops it (combining marks, zero-width and format characters).
    @inline(__always)
    static func fold(_ s: UInt32) -> UInt8? {
        switch s {
        case 0x41...0x5A: return UInt8(s) | 0x20
        case 0x09, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return 0x20
        case 0x00...0x7F: return UInt8(s)
        case 0x300...0x36F, 0x200B...0x200D, 0xFEFF, 0xAD: return nil
        case 0x2010...0x2015, 0x2212: return 0x2D  // dashes → "-"
        case 0xC0...0xC5, 0xE0...0xE5, 0x100...0x105, 0x1EA0...0x1EB7: return 0x61  // a
        case 0xC8...0xCB, 0xE8...0xEB, 0x1EB8...0x1EC7: return 0x65  // e
        case 0xCC...0xCF, 0xEC...0xEF, 0x128, 0x129, 0x1EC8...0x1ECB: return 0x69  // i
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8, 0x1A0, 0x1A1, 0x1ECC...0x1EE3: return 0x6F  // o
        case 0xD9...0xDC, 0xF9...0xFC, 0x168, 0x169, 0x1AF, 0x1B0, 0x1EE4...0x1EF1: return 0x75  // u
        case 0xDD, 0xFD, 0xFF, 0x1EF2...0x1EF9: return 0x79  // y
        case 0xD0, 0xF0, 0x110, 0x111, 0x189: return 0x64  // Đ đ (and look-alike Ð ð Ɖ) → d
        case 0xC7, 0xE7: return 0x63
        case 0xD1, 0xF1: return 0x6E
        default: return 0x80
        }
    }
}
