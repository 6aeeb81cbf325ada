import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Intake: reference numbers, validation and the reporter's kind")
struct IntakeServiceTests {
  @Test("reference numbers count per year and kind, the year taken in Beijing time")
  func numbering() throws {
    let scene = try Scene.make("refs")
    let first = try scene.register(Office.call(at: beijing("2021-09-28 09:00")))
    let second = try scene.register(Office.call(at: beijing("2021-09-28 09:30")))
    let petition = try scene.register(
      Office.call(subject: "要求解决拖欠工资问题", kind: .petition, at: beijing("2021-09-28 10:00")))
    let lastOfYear = try scene.register(Office.call(at: beijing("2021-12-31 23:30")))
    // 2021-12-31 16:10 UTC, but 2022 in the office.
    let firstOfYear = try scene.register(Office.call(at: beijing("2022-01-01 00:10")))
    let petition2022 = try scene.register(
      Office.call(subject: "要求解决拖欠工资问题", kind: .petition, at: beijing("2022-01-02 09:00")))
    // Entered late: numbered in the year it was received, after the last number of that year.
    let enteredLate = try scene.register(Office.call(at: beijing("2021-11-15 14:00")))

    #expect(first.ref == "2021-JB-00001")
    #expect(second.ref == "2021-JB-00002")
    #expect(petition.ref == "2021-XF-00001")
    #expect(lastOfYear.ref == "2021-JB-00003")
    #expect(firstOfYear.ref == "2022-JB-00001")
    #expect(petition2022.ref == "2022-XF-00001")
    #expect(enteredLate.ref == "2021-JB-00004")
    #expect(firstOfYear.receivedAt == beijing("2022-01-01 00:10"))
  }

  @Test(
    "the reporter's own name and number are taken out of the subject and summary; a reveal gives the wording back"
  )
  func redacted() throws {
    let scene = try Scene.make("redact")
    var request = Office.call(subject: "张三丰反映某局长收受红包", at: beijing("2021-09-28 09:00"))
    request.summary = "我是张三丰，电话138 0013 8000，反映王某收受红包。"
    let item = try scene.register(request)
    let m = Redactor.marker
    #expect(item.subject == "\(m)反映某局长收受红包")
    #expect(item.summary == "我是\(m)，电话\(m)，反映王某收受红包。")
    // What every list and page reads is the redacted text; the accused's name stays.
    let listed = try scene.d.list(LedgerQuery(), actor: "reg").first { $0.ref == item.ref }
    #expect(listed?.summary == item.summary)
    let boss = try scene.test.person("boss")
    let identity = try boss.reveal(item.ref, reason: "核实", actor: nil)
    #expect(identity.name == "张三丰")
    #expect(identity.originalWording?["subject"] == "张三丰反映某局长收受红包")
    #expect(identity.originalWording?["summary"] == "我是张三丰，电话138 0013 8000，反映王某收受红包。")
    // Without the reporter in the text, nothing changes and nothing more is sealed.
    let plain = try scene.register(Office.call(at: beijing("2021-09-28 10:00")))
    #expect(plain.subject == "反映某局长收受红包")
    #expect(try boss.reveal(plain.ref, reason: "核实", actor: nil).originalWording == nil)
  }

  @Test("a new reference pattern applies to new items only, and a pattern without a year is refused")
  func referencePattern() throws {
    let scene = try Scene.make("pattern")
    let before = try scene.register(Office.call(at: beijing("2021-09-28 09:00")))
    try scene.d.setSetting("reference_pattern", "{yy}{code}-{seq:4}", actor: "admin")
    let after = try scene.register(Office.call(at: beijing("2021-09-28 09:30")))
    let suggestion = try scene.register(
      Office.call(subject: "建议公开整改进度", kind: .suggestion, at: beijing("2021-09-28 10:00")))

    #expect(before.ref == "2021-JB-00001")
    #expect(after.ref == "21JB-0002")
    #expect(suggestion.ref == "21JY-0001")
    #expect(try scene.reload("2021-JB-00001").item.id == before.id)
    #expect(try scene.d.settings(actor: "aud")["reference_pattern"] == "{yy}{code}-{seq:4}")
    // Another connection opened afterwards numbers the same way.
    let other = try scene.test.second()
    #expect(try other.intake(Office.call(at: beijing("2021-09-28 11:00")), actor: "reg").ref == "21JB-0003")

    expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.setSetting("reference_pattern", "{code}-{seq:5}", actor: "admin")
    }
    expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.setSetting("reference_pattern", "{year}/{code}/{seq}", actor: "reg")
    }
    #expect(try scene.d.settings(actor: "aud")["reference_pattern"] == "{yy}{code}-{seq:4}")
  }

  @Test("a phone number that is not a mainland number is bad input, and the message does not repeat it")
  func badPhone() throws {
    let scene = try Scene.make("badphone")
    for typed in ["12345", "0668-12", "138001380001", "23800138000"] {
      let error = expectRefusal(.invalid) { () throws(DocketError) in
        try scene.register(Office.call(at: beijing("2021-09-28 09:00"), phone: typed))
      }
      #expect(error?.isBadInput == true)
      #expect(error.map { !$0.description.contains(typed) } == true, "\(error?.description ?? "")")
      #expect(error.map { !$0.description.contains("张三丰") } == true)
    }
    // Nothing was written and no number was used up.
    #expect(try scene.d.list(LedgerQuery(), actor: "aud").isEmpty)
    let landline = try scene.register(Office.call(at: beijing("2021-09-28 09:00"), phone: "0759-8814115"))
    #expect(landline.ref == "2021-JB-00001")
    #expect(landline.reporterKind == .realName)
  }

  @Test("an ID number with a wrong check digit is bad input, and the message does not repeat it")
  func badIDNumber() throws {
    let scene = try Scene.make("badid")
    var request = Office.call(at: beijing("2021-09-28 09:00"))
    request.reporterIDNumber = "440882198001011234"
    let error = expectRefusal(.invalid) { () throws(DocketError) in try scene.register(request) }
    #expect(error?.description.contains("440882198001011234") == false)
    #expect(error?.description.contains("check digit") == true)
  }

  @Test("a postcode that is not six digits is bad input")
  func badPostcode() throws {
    let scene = try Scene.make("postcode")
    for typed in ["52420", "5242001", "52420a"] {
      var letter = IntakeRequest(channel: .letter, subject: "反映村干部侵占补偿款")
      letter.kind = .accusation
      letter.receivedAt = beijing("2021-09-28 09:00")
      letter.details = ["postcode": typed]
      let error = expectRefusal(.invalid) { () throws(DocketError) in try scene.register(letter) }
      #expect(error?.isBadInput == true)
      #expect(error?.description.contains("6-digit postal code") == true)
    }
    var letter = IntakeRequest(channel: .letter, subject: "反映村干部侵占补偿款")
    letter.kind = .accusation
    letter.receivedAt = beijing("2021-09-28 09:00")
    letter.details = ["postcode": " 524200 ", "postmark": "2021-09-26"]
    letter.reporterName = "李四"
    letter.reporterAddress = "雷州市新城大道1号"
    let item = try scene.register(letter)
    // The return address's postcode locates the reporter: sealed with the address, not shown.
    #expect(item.channelDetails == ["postmark": "2021-09-26"])
    let identity = try scene.test.person("boss").reveal(item.ref, reason: "核实回信地址", actor: nil)
    #expect(identity.address == "雷州市新城大道1号 524200")
  }

  @Test("a received time in the future is bad input")
  func futureReceipt() throws {
    let scene = try Scene.make("future", now: beijing("2021-10-01 10:00"))
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try scene.register(Office.call(at: beijing("2021-10-01 12:00")))
    }
    #expect(error?.isBadInput == true)
    #expect(error?.description.contains("2021-10-01 12:00") == true)
    #expect(error?.description.contains("future") == true)
    let tomorrow = expectRefusal(.invalid) { () throws(DocketError) in
      try scene.register(Office.call(at: beijing("2021-10-02 09:00")))
    }
    #expect(tomorrow?.isBadInput == true)
    // Without a time the item is received now, by the docket's clock.
    let now = try scene.register(Office.call(at: nil))
    #expect(now.receivedAt == beijing("2021-10-01 10:00"))
    #expect(now.ref == "2021-JB-00001")
  }

  @Test("a postmark after the day the letter was received is bad input")
  func postmarkAfterReceipt() throws {
    let scene = try Scene.make("postmark")
    var letter = IntakeRequest(channel: .letter, subject: "反映村干部侵占补偿款")
    letter.kind = .accusation
    letter.receivedAt = beijing("2021-09-28 10:00")
    letter.details = ["postmark": "2021-09-29"]
    let error = expectRefusal(.invalid) { () throws(DocketError) in try scene.register(letter) }
    #expect(error?.isBadInput == true)
    #expect(error?.description.contains("2021-09-29") == true)
    // Posted the same day it arrived is fine.
    letter.details = ["postmark": "2021-09-28"]
    #expect(try scene.register(letter).channelDetails["postmark"] == "2021-09-28")
  }

  @Test("an item without a kind is bad input unless the envelope note marks a rectification suggestion")
  func kindFromEnvelope() throws {
    let scene = try Scene.make("envelope")
    var letter = IntakeRequest(channel: .letter, subject: "关于整改工作的几点建议")
    letter.receivedAt = beijing("2021-10-11 09:00")
    let error = expectRefusal(.invalid) { () throws(DocketError) in try scene.register(letter) }
    #expect(error?.isBadInput == true)
    #expect(error?.description.contains("--kind") == true)

    letter.details = ["envelope_note": "对雷州市巡视整改情况的意见建议"]
    let item = try scene.register(letter)
    #expect(item.kind == .suggestion)
    #expect(item.ref == "2021-JY-00001")
    #expect(item.channelDetails["envelope_note"] == "对雷州市巡视整改情况的意见建议")
    #expect(item.reporterKind == .anonymous)
  }

  @Test("a reporter is 实名 with a name and a way to reach them, otherwise 匿名")
  func reporterKind() throws {
    let scene = try Scene.make("reporterkind")
    func kind(name: String?, phone: String?, email: String? = nil, address: String? = nil) throws
      -> ReporterKind
    {
      var request = Office.call(at: beijing("2021-09-28 09:00"), name: name, phone: phone)
      request.reporterEmail = email
      request.reporterAddress = address
      return try scene.register(request).reporterKind
    }
    #expect(try kind(name: nil, phone: nil) == .anonymous)
    #expect(try kind(name: "  ", phone: "") == .anonymous)
    #expect(try kind(name: "张三丰", phone: nil) == .anonymous)
    #expect(try kind(name: nil, phone: "13800138000") == .anonymous)
    #expect(try kind(name: "张三丰", phone: "13800138000") == .realName)
    #expect(try kind(name: "张三丰", phone: nil, email: "zsf@example.cn") == .realName)
    #expect(try kind(name: "张三丰", phone: nil, address: "雷州市新城大道1号") == .realName)
  }

  @Test("only staff who register items may take one in")
  func intakePermission() throws {
    let scene = try Scene.make("intakeperm")
    for login in ["h1", "aud"] {
      expectRefusal(.forbidden) { () throws(DocketError) in
        try scene.d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: login)
      }
    }
    #expect(
      try scene.d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "cm").ref == "2021-JB-00001")
    #expect(
      try scene.d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "boss").ref == "2021-JB-00002")
  }
}
