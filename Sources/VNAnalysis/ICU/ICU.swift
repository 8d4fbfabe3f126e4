internal import CVNICU

/// Thin Swift face of the `CVNICU` shim. Only this folder talks to ICU.
enum ICU {
    enum CharClass: UInt8 { case separator = 0, letter, digit, mark, ignorable }

    /// The corresponding ICU functions are `u_charType` and `u_hasBinaryProperty(DEFAULT_IGNORABLE)`.
    static func classify(_ cp: UInt32) -> CharClass {
        CharClass(rawValue: UInt8(cvnicu_classify(cp).rawValue)) ?? .separator
    }

    /// NFC + Vietnamese lower case of UTF-8 bytes. The corresponding ICU functions are
    /// `unorm2_normalize` and `u_strToLower(…, "vi")`.
    static func nfcLower(_ utf8: [UInt8]) -> [UInt8] {
        if utf8.isEmpty { return [] }
        var cap = utf8.count * 2 + 16
        for _ in 0..<2 {
            var out = [UInt8](repeating: 0, count: cap)
            var status: Int32 = 0
            let n = utf8.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    src.baseAddress!.withMemoryRebound(to: CChar.self, capacity: src.count) { s in
                        dst.baseAddress!.withMemoryRebound(to: CChar.self, capacity: dst.count) { d in
                            cvnicu_nfc_lower_utf8(s, Int32(src.count), d, Int32(dst.count), &status)
                        }
                    }
                }
            }
            if n < 0 { return utf8 }  // ICU failed (cannot happen on valid UTF-8): keep the input
            if Int(n) <= cap { out.removeSubrange(Int(n)...); return out }
            cap = Int(n) + 1  // retry once with the size ICU reported
        }
        return utf8
    }

    /// NFD code points of UTF-8 bytes. The corresponding ICU function is `unorm2_normalize` (NFD).
    static func nfdScalars(_ utf8: [UInt8]) -> [UInt32] {
        if utf8.isEmpty { return [] }
        var out = [UInt32](repeating: 0, count: utf8.count * 4 + 8)
        var status: Int32 = 0
        let n = utf8.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                src.baseAddress!.withMemoryRebound(to: CChar.self, capacity: src.count) { s in
                    cvnicu_nfd_utf32(s, Int32(src.count), dst.baseAddress!, Int32(dst.count), &status)
                }
            }
        }
        guard n >= 0, Int(n) <= out.count else { return [] }
        out.removeSubrange(Int(n)...)
        return out
    }

    /// NFC-composes code points into UTF-8.
    static func nfcUTF8(_ scalars: [UInt32]) -> [UInt8] {
        if scalars.isEmpty { return [] }
        var out = [UInt8](repeating: 0, count: scalars.count * 4 + 8)
        var status: Int32 = 0
        let n = scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                dst.baseAddress!.withMemoryRebound(to: CChar.self, capacity: dst.count) { d in
                    cvnicu_nfc_utf32_to_utf8(src.baseAddress!, Int32(src.count), d, Int32(dst.count), &status)
                }
            }
        }
        guard n >= 0, Int(n) <= out.count else { return [] }
        out.removeSubrange(Int(n)...)
        return out
    }
}
