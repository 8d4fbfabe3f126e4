/// Turns a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM.
public enum TextDecoder {
    /// Decodes `bytes`.
    /// - Throws: `DecodingError` when the bytes are empty, binary, or in no encoding we read.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> DecodedText {
        if bytes.isEmpty { throw .empty }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return try decodeUTF8(bytes[3...], encoding: .utf8BOM)
        }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return try decodeUTF16(bytes[2...], bigEndian: false)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return try decodeUTF16(bytes[2...], bigEndian: true)
        }
        return try decodeUTF8(bytes[...], encoding: .utf8)
    }

    static func decodeUTF8(_ bytes: ArraySlice<UInt8>, encoding: SourceEncoding) throws(DecodingError) -> DecodedText {
        if looksBinary(bytes) { throw .binary }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unknownEncoding(reason: "not valid UTF-8 and no legacy Vietnamese encoding recognised")
        }
        return DecodedText(text: text, encoding: encoding)
    }

    static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) throws(DecodingError) -> DecodedText {
        if bytes.count % 2 != 0 { throw .unknownEncoding(reason: "UTF-16 byte-order mark but an odd number of bytes") }
        var units = [UInt16]()
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            i += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            throw .unknownEncoding(reason: "UTF-16 byte-order mark but invalid UTF-16 (unpaired surrogate)")
        }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) { throw .binary }
        return DecodedText(text: text, encoding: bigEndian ? .utf16BE : .utf16LE)
    }

    /// A NUL byte, or many C0 controls other than tab/CR/LF/FF, in the first 8 KiB marks a binary file.
    static func looksBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        var controls = 0
        var n = 0
        for b in bytes.prefix(8192) {
            n += 1
            if b == 0 { return true }
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { controls += 1 }
        }
        return n > 0 && controls * 20 > n
    }
}
