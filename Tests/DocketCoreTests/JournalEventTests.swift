import Foundation
import Testing

@testable import DocketCore

@Suite("The typed journal: every event encodes and decodes in one place")
struct JournalEventTests {
  static let received = Date(timeIntervalSince1970: 1_632_796_200)

  static let examples: [JournalEvent] = {
    var assign = JournalEvent.MoveRecord(from: .accepted, to: .assigned, note: "请尽快办理")
    assign.unit = "第一纪检监察室"
    assign.handler = "h1"
    assign.conflictOverride = "无其他单位可承办"
    var dispose = JournalEvent.MoveRecord(from: .handling, to: .handling)
    dispose.disposal = .preliminaryVerification
    dispose.approved = false
    var conclude = JournalEvent.MoveRecord(from: .handling, to: .concluded)
    conclude.finding = .partlySubstantiated
    conclude.falseAccusation = true
    return [
      .registered(
        .init(
          ref: "2021-JB-00001", kind: .accusation, source: .public, channel: .phone, category: "违规收送礼金",
          reporter: .realName, receivedAt: received, accusedCount: 2, batch: nil)),
      .moved(.assign, assign), .moved(.dispose, dispose), .moved(.conclude, conclude),
      .notified(note: nil), .feedbackGiven(note: "电话告知"), .extended(days: 30, reason: "情况复杂", note: nil),
      .emailReply(mailMessage: "7", attachments: 1, sha256: "ab12"),
      .identityRevealed(reason: "核实", with: nil),
      .identityRevealed(reason: "核实", with: "l2"), .identitiesExported(reason: "移送", items: 3, with: nil),
      .receiptStatusChecked(shown: "handling"),
      .receiptReissued(replaced: true), .publicNoteSet(note: "已转有关部门"), .publicNoteCleared,
      .supervisionLetter(letter: "催办函〔2021〕第1号", kind: "urging", unit: "市公安局"), .unitAdded(unit: "市公安局"),
      .staffAdded(login: "lin", roles: "handler", unit: "市公安局", databaseRole: nil),
      .staffMapped(login: "lin", databaseRole: "lin"), .staffDisabled(login: "lin", reason: "调离"),
      .settingChanged(key: "office_timezone", value: "Asia/Shanghai"),
      .policyChanged(
        clock: "acceptance_notice", from: "15 working days", to: "10 working days", extension: nil),
      .calendarImported(year: 2027, holidays: 19, workdays: 6, dueDatesMoved: 4),
      .handoverImported(
        .init(
          batch: "1", source: .inspection, from: "省委第一巡视组", handoverDate: "2021-09-20", items: 251,
          rejected: 0,
          sha256: "ff")),
      .emailQuarantined(quarantine: "3", reason: "not mail", size: 120),
      .emailQuarantineRetried(quarantine: "3", ref: "2021-QT-00001", openedBy: "l1"),
      .emailQuarantineDropped(quarantine: "3", reason: "垃圾邮件"),
      .identityKeyRotated(oldKeyID: "a", newKeyID: "b", identities: 10, messages: 2, quarantined: 1),
      .attachmentReleased(attachment: 2, reason: "核实", with: nil),
      .attachmentOpened(attachment: 1, reason: "核实", with: "l2"), .attachmentsSealed(count: 3),
      .redacted(fields: "subject,email 1", reason: "证人姓名"),
      .rectificationRoundAdded(round: "1", name: "省委第四巡视组反馈意见整改"),
      .planImported(round: "1", aspects: 4, problems: 19, measures: 62, sha256: "ab"),
      .measure(
        .claimed, JournalEvent.MeasureRecord(measure: "1-35", measureID: 35, from: .planned, to: .planned)),
      .measure(
        .progress,
        {
          var record = JournalEvent.MeasureRecord(
            measure: "1-56", measureID: 56, from: .planned, to: .inProgress, note: "已化解107宗")
          record.done = 107
          record.unit = "市住房和城乡建设局"
          record.evidence = ["00ff", "ee11"]
          return record
        }()),
      .measure(
        .milestone,
        {
          var record = JournalEvent.MeasureRecord(
            measure: "1-18", measureID: 18, from: .inProgress, to: .inProgress)
          record.milestone = CivilDate("2022-06-30")
          record.done = 8
          return record
        }()),
      .measure(
        .signedOff,
        {
          var record = JournalEvent.MeasureRecord(
            measure: "1-35", measureID: 35, from: .completed, to: .signedOff)
          record.approvedBy = "sw.secretary"
          return record
        }()),
      .measure(
        .reopened,
        {
          var record = JournalEvent.MeasureRecord(
            measure: "1-7", measureID: 7, from: .signedOff, to: .reopened)
          record.reason = "回头看发现反弹"
          return record
        }()),
      .measure(
        .linked,
        {
          var record = JournalEvent.MeasureRecord(
            measure: "1-35", measureID: 35, from: .planned, to: .planned)
          record.link = "batch 1"
          return record
        }()),
      .rectificationLetter(letter: "整改督办函〔2021〕第3号", kind: "supervision", unit: "市自然资源局", measures: 2),
      .officeKeyCreated(fingerprint: "0011", quorum: 1),
      .officeKeyRotated(from: "0011", to: "2233", quorum: 2, by: "l1"),
      .envelopesResealed(to: "2233", envelopes: 7), .officeKeyDestroyed(fingerprint: "0011", envelopes: 7),
      .custodianAdded(login: "l2", by: "l1"),
      .custodianRemoved(login: "l2"), .custodianPassphraseChanged(login: "l1"),
      .custodianRefused(custodian: "l1", act: "reveal", why: "wrong passphrase (1 in a row)"),
      .sealingUpgraded(oldKeyID: "a", fingerprint: "2233", identities: 3, messages: 1, quarantined: 0),
      .other(name: "some_later_event", fields: ["x": "1"]),
    ]
  }()

  @Test("each event reads back as it was written", arguments: examples)
  func roundTrip(event: JournalEvent) {
    #expect(JournalEvent(name: event.name, payload: event.payload()) == event)
    #expect(JournalEvent(name: event.name, payload: event.payload(enteredBy: "admin")) == event)
  }

  @Test("payloads keep the bytes the chain has always hashed")
  func bytes() {
    #expect(
      Self.examples[0].payload(enteredBy: "admin")
        == #"{"accused_count":"2","category":"违规收送礼金","channel":"phone","entered_by":"admin","kind":"accusation","received_at":"2021-09-28T02:30:00Z","ref":"2021-JB-00001","reporter":"real_name","source":"public"}"#
    )
    var accept = JournalEvent.MoveRecord(from: .registered, to: .accepted)
    accept.note = nil
    #expect(JournalEvent.moved(.accept, accept).payload() == #"{"from":"registered","to":"accepted"}"#)
    #expect(
      JournalEvent.settingChanged(key: "email_size_limit_mb", value: "10").payload()
        == #"{"email_size_limit_mb":"10"}"#)
  }

  @Test("old and unexpected payloads still read: renamed fields, missing fields, unknown events")
  func lenient() {
    // The first administrator's event named the database role `database_role`.
    #expect(
      JournalEvent(
        name: "staff_added", payload: #"{"database_role":"postgres","login":"admin","roles":"admin"}"#)
        == .staffAdded(login: "admin", roles: "admin", unit: nil, databaseRole: "postgres"))
    // A move without its states cannot be a move: it is kept as it was stored.
    #expect(JournalEvent(name: "accept", payload: "{}") == .other(name: "accept", fields: [:]))
    #expect(JournalEvent(name: "extended", payload: "not json") == .extended(days: 0, reason: "", note: nil))
    #expect(
      JournalEvent(name: "accept", payload: #"{"from":"registered","to":"accepted","entered_by":"admin"}"#)
        .name == "accept")
  }
}
