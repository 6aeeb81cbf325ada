import DocketCore
import Testing

/// A reporter's identity taken out of what is stored in plain, and the traces a registrar is
/// warned about (issue 16, item 4).
@Suite("Redacting a reporter's identity out of text")
struct RedactionTests {
  static let m = Redactor.marker
  static let reporter = ReporterIdentity(
    name: "王建国", phone: "13812345678", email: "wang.jg@example.com", address: "城关镇东街12号 450000",
    idNumber: "11010519491231002X")

  func redacted(_ text: String, _ identity: ReporterIdentity = reporter) -> String {
    Redactor(identity).redact(text).text
  }

  @Test("the name as written, and with spaces between its characters")
  func name() {
    #expect(redacted("我叫王建国，实名举报。") == "我叫\(Self.m)，实名举报。")
    #expect(redacted("举报人：王 建　国") == "举报人：\(Self.m)")
    // Someone else's name, and the accused, stay.
    #expect(redacted("被反映人王建民") == "被反映人王建民")
  }

  @Test("a mobile number in every common written form, and nothing that only looks like it")
  func mobile() {
    for written in [
      "13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+86-13812345678",
      "0086 13812345678",
      "８６１３８１２３４５６７８", "１３８１２３４５６７８", "(+86)13812345678",
    ] {
      #expect(redacted("电话\(written)，随时联系") == "电话\(Self.m)，随时联系", "\(written)")
    }
    // Other numbers, or this one inside a longer one, are left as they are.
    #expect(redacted("工号138123456789") == "工号138123456789")
    #expect(redacted("金额13812345元") == "金额13812345元")
    #expect(redacted("两个号码 13812345678 13900001111") == "两个号码 \(Self.m) 13900001111")
  }

  @Test("a landline with or without its area code, in brackets, with an extension")
  func landline() {
    let office = ReporterIdentity(phone: "0371-65123456")
    for written in [
      "0371-65123456", "(0371)65123456", "（0371）6512 3456", "0371 6512 3456", "65123456", "+86 371 65123456",
    ] {
      #expect(redacted("座机\(written)。", office) == "座机\(Self.m)。", "\(written)")
    }
  }

  @Test(
    "the ID number with or without spaces and in either case; the email in any case; the address and its parts"
  )
  func otherFields() {
    #expect(redacted("身份证110105 19491231 002x") == "身份证\(Self.m)")
    #expect(redacted("邮箱 Wang.JG@Example.com。") == "邮箱 \(Self.m)。")
    // The postcode is sealed with the address: it locates the reporter too; inside a longer number it stays.
    #expect(redacted("住城关镇东街12号，邮编450000") == "住\(Self.m)，邮编\(Self.m)")
    #expect(redacted("编号4500001") == "编号4500001")
    #expect(redacted("地址：城关镇东街12号 450000") == "地址：\(Self.m)")
    let (text, changed) = Redactor(Self.reporter).redact("反映某局违规发放补贴")
    #expect(text == "反映某局违规发放补贴")
    #expect(!changed)
    #expect(Redactor(ReporterIdentity()).isEmpty)
    // Words of an address are not taken out one by one.
    let room = ReporterIdentity(address: "Room 1203 Building 5")
    #expect(redacted("Room service at Building 5", room) == "Room service at Building 5")
    #expect(redacted("寄自Room 1203 Building 5", room) == "寄自\(Self.m)")
  }

  @Test(
    "a signature after a -- line goes whole; a closing block with the sender's name goes from its closing")
  func signatures() {
    let dashed = "局长违规发放补贴。\n\n-- \n王建国\n电话 13812345678"
    #expect(SignatureBlock.split(dashed, senderName: nil).body == "局长违规发放补贴。")
    #expect(SignatureBlock.split(dashed, senderName: nil).signature == "-- \n王建国\n电话 13812345678")

    let closing = "某局长长期违规发放补贴，请查处。\n\n此致\n敬礼\n举报人：王建国\n电话：138 1234 5678\n2021年9月28日"
    let split = SignatureBlock.split(closing, senderName: "王建国")
    #expect(split.body == "某局长长期违规发放补贴，请查处。")
    #expect(split.signature?.hasPrefix("此致") == true)
    #expect(split.signature?.contains("138 1234 5678") == true)

    // The sender's name in the middle of a long line of prose is not a signature.
    let prose = "王建国反映，某镇在征地拆迁中克扣补偿款，涉及村民三十余户，要求上级调查并给予答复。"
    #expect(SignatureBlock.split(prose, senderName: "王建国").signature == nil)
    #expect(SignatureBlock.split("没有署名的来信。", senderName: "王建国").signature == nil)
  }

  @Test("traces that may identify: a phone, an 18-character ID number, an email that is not the accused's")
  func traces() {
    #expect(IdentifyingTraces.find(in: "请联系 139-0000-1111") == [.phone])
    #expect(IdentifyingTraces.find(in: "座机0371-65123456") == [.phone])
    #expect(IdentifyingTraces.find(in: "身份证号11010519491231002X") == [.idNumber])
    #expect(IdentifyingTraces.find(in: "来信 someone@qq.com") == [.email])
    #expect(IdentifyingTraces.find(in: "被举报人邮箱 li@gov.cn", allowedEmails: ["LI@gov.cn"]) == [])
    #expect(IdentifyingTraces.find(in: "金额12345元，2021年9月28日，第3期") == [])
    // 18 digits that fail the ID number's check digit are not one.
    #expect(IdentifyingTraces.find(in: "编号110105194912310021") == [])
  }
}

@Suite("Redaction around brackets")
struct RedactionBracketTests {
  @Test("a phone number in brackets loses its digits, not the bracket that closes it")
  func closingBracket() {
    let redactor = Redactor(ReporterIdentity(phone: "13912345678"))
    #expect(redactor.redact("（电话139 1234 5678）可以作证").text == "（电话〔举报人信息已隐去〕）可以作证")
    #expect(redactor.redact("(13912345678)").text == "(〔举报人信息已隐去〕)")
    let landline = Redactor(ReporterIdentity(phone: "0759-8814115"))
    #expect(landline.redact("电话（0759）8814115。").text == "电话〔举报人信息已隐去〕。")
  }
}
