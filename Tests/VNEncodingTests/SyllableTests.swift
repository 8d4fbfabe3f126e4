import Testing
@testable import VNEncoding

@Suite struct SyllableTests {
    @Test func letterTableHas134Letters() {
        #expect(VietnameseSyllable.nonASCIILetters.count == 134)
        #expect(Set(VietnameseSyllable.nonASCIILetters).count == 134)
    }

    @Test(arguments: ["thủy", "Dương", "NGHIÊNG", "nghĩa", "gì", "giữa", "quốc", "khuya", "khuỷu", "người", "được",
                      "chuyện", "quyết", "huynh", "xoong", "oanh", "uống", "yêu", "ý", "ở", "à", "Kạn", "thuở", "hoà",
                      "hòa", "khoẻ", "ngoặt", "tuyết", "giêng", "trường", "rượu", "anh", "ích", "ếch"])
    func wellFormed(_ s: String) {
        #expect(VietnameseSyllable.isWellFormed(s), "\(s)")
        // Decomposed input too.
        let nfd = String(String.UnicodeScalarView(s.decomposedScalarsForTest))
        #expect(VietnameseSyllable.isWellFormed(nfd), "NFD \(s)")
    }

    @Test(arguments: ["thÈm", "Thñy", "quyÒn", "chaøo", "caùc", "Café", "Général", "café", "and", "fish",
                      "ghan", "quu", "tat", "bạch̀", "ắp̉", "â", "lỔ", "x", "ng", "Thá»§y", "30", "ăt", "tôc"])
    func illFormed(_ s: String) {
        #expect(!VietnameseSyllable.isWellFormed(s), "\(s)")
    }
}

extension String {
    /// Canonical decomposition of the Vietnamese letters (test helper, no Foundation).
    var decomposedScalarsForTest: [Unicode.Scalar] {
        let tones: [UInt32] = [0, 0x300, 0x301, 0x309, 0x303, 0x323]
        var out: [Unicode.Scalar] = []
        for ch in self {
            guard let info = VietnameseSyllable.letterInfo[ch.unicodeScalars.first!.value], ch.unicodeScalars.count == 1,
                  info.base != "đ" else {
                out += ch.unicodeScalars
                continue
            }
            let (base, mod): (Character, UInt32) = switch info.base {
            case "ă": ("a", 0x306); case "â": ("a", 0x302); case "ê": ("e", 0x302); case "ô": ("o", 0x302)
            case "ơ": ("o", 0x31B); case "ư": ("u", 0x31B); default: (info.base, 0)
            }
            let b = info.upper ? Character(base.uppercased()) : base
            out += b.unicodeScalars
            if mod != 0 { out.append(Unicode.Scalar(mod)!) }
            if info.tone != .level { out.append(Unicode.Scalar(tones[info.tone.rawValue])!) }
        }
        return out
    }
}
