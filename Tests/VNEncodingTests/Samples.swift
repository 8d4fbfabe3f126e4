import Foundation
@testable import VNEncoding

/// Real-looking council documents (NFC).
enum Samples {
    static let council = """
        ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI
        Số: 1234/QĐ-UBND

        QUYẾT ĐỊNH
        Về việc phê duyệt kế hoạch sử dụng đất năm 1995 của huyện Bình Sơn

        Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 21 tháng 6 năm 1994;
        Xét đề nghị của Giám đốc Sở Địa chính tại Tờ trình số 56/TTr-ĐC ngày 12/3/1995,
        Chủ tịch Ủy ban nhân dân tỉnh quyết định:

        Điều 1. Phê duyệt kế hoạch sử dụng đất năm 1995 của huyện Bình Sơn với những nội dung
        chủ yếu như sau: tổng diện tích đất nông nghiệp được giữ ổn định; ưu tiên đất cho khu
        công nghiệp Dung Quất, đường giao thông và trường học; thu hồi đất sử dụng sai mục đích.
        Người dân có đất bị thu hồi được bồi thường, hỗ trợ tái định cư theo quy định hiện hành.

        Điều 2. Giao Sở Địa chính hướng dẫn, kiểm tra việc thực hiện; Ủy ban nhân dân huyện
        chịu trách nhiệm công bố công khai kế hoạch, quản lý chặt chẽ quỹ đất, xử lý nghiêm
        các trường hợp lấn chiếm, chuyển mục đích trái phép. Bà Thủy Dương, Phó Chủ tịch, khuyên
        các xã tuyên truyền rộng rãi để người dân hiểu rõ, đồng thuận và giám sát.

        Điều 3. Chánh Văn phòng, Giám đốc các sở, ngành và Chủ tịch Ủy ban nhân dân huyện Bình
        Sơn chịu trách nhiệm thi hành Quyết định này kể từ ngày ký.
        """

    /// `council` as typed with TCVN3 (ABC) fonts, which have no precomposed toned capitals:
    /// headings in sentence case, "Uỷ" for "Ủy".
    static let councilABC = council
        .replacingOccurrences(of: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", with: "UBND tỉnh Quảng Ngãi")
        .replacingOccurrences(of: "QUYẾT ĐỊNH", with: "QUYẾT ĐỊNH".lowercased())
        .replacingOccurrences(of: "Ủy", with: "Uỷ")

    static let letter = """
        Kính gửi: Hội đồng nhân dân thành phố Huế.
        Tôi tên là Nguyễn Thị Thủy, sinh năm 1962, thường trú tại phường Thuận Thành.
        Gia đình tôi xin trình bày việc nhà ở bị nứt khi thi công cống thoát nước trên đường
        Lê Duẩn. Kính đề nghị quý cơ quan xem xét, giải quyết sớm để chúng tôi yên tâm sinh sống.
        Xin trân trọng cảm ơn. Người làm đơn: Nguyễn Thị Thủy.
        """

    static let western = """
        Café Giảng is famous for egg coffee. The Général de Gaulle visited in 1946; it was 30°C.
        © 2019 Éditions Gallimard. Müller & Söhne GmbH, Straße 5, Zürich. Señor Peña, año 1999.
        Déjà vu, naïve façade, crème brûlée, smörgåsbord, œuvre — «citation» ½ kg, 2 m², µg, ±5 %.
        """

    /// The bytes as Windows-1252 characters: what a program shows when it reads them as Latin-1.
    static func readAsWindows1252(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map(Windows1252.scalar)))
    }
}
