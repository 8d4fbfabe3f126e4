internal import CVNICU

extension String {
    /// The text in Unicode NFC, through system ICU (`unorm2_normalize`). Foundation's
    /// `precomposedStringWithCanonicalMapping` does the same, but linking Foundation costs every
    /// `vnsearch` process several milliseconds at start.
    var nfc: String {
        var text = self
        return text.withUTF8 { src -> String in
            guard let base = src.baseAddress, src.count > 0 else { return "" }
            var cap = src.count * 3 + 16
            for _ in 0..<2 {
                var status: Int32 = 0
                var out = [UInt8](repeating: 0, count: cap)
                let n = base.withMemoryRebound(to: CChar.self, capacity: src.count) { s in
                    out.withUnsafeMutableBufferPointer { d in
                        d.baseAddress!.withMemoryRebound(to: CChar.self, capacity: d.count) {
                            cvnicu_nfc_utf8(s, Int32(src.count), $0, Int32(d.count), &status)
                        }
                    }
                }
                if n < 0 { return self }  // ICU failed (cannot happen on valid UTF-8): keep the text
                if Int(n) <= cap { return String(decoding: out[0..<Int(n)], as: UTF8.self) }
                cap = Int(n) + 1  // retry once with the size ICU reported
            }
            return self
        }
    }
}
