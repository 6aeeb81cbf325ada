import Foundation
import Testing

@testable import DocketCore

/// Checks that every value of a vocabulary parses from its code, its dashed and upper-case spellings,
/// its Chinese label and its aliases, each with stray spaces; that no spelling means two values; and
/// that an unknown word gets an error listing every choice.
private func checkVocabulary<T: Term>(
  _ expected: [(T, code: String, chinese: String)], field: String,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  // The table in the test names every case exactly once.
  #expect(expected.map(\.0) == Array(T.allCases), "cases out of step", sourceLocation: sourceLocation)

  var owner: [String: T] = [:]
  for (term, code, chinese) in expected {
    #expect(term.code == code, sourceLocation: sourceLocation)
    #expect(term.rawValue == code, sourceLocation: sourceLocation)
    #expect(term.chinese == chinese, sourceLocation: sourceLocation)
    #expect(term.label(.chinese) == chinese, sourceLocation: sourceLocation)
    #expect(
      term.label(.english) == code.replacingOccurrences(of: "_", with: " "), sourceLocation: sourceLocation)

    let dashed = code.replacingOccurrences(of: "_", with: "-")
    #expect(term.command == dashed, sourceLocation: sourceLocation)
    // What a person reads, in either language, parses back to the same value.
    for language in Language.allCases {
      #expect(
        T.parse(term.label(language)) == term, "\(language) label of \(code)", sourceLocation: sourceLocation)
    }
    let spellings =
      [code, dashed, code.uppercased(), dashed.capitalized, " \(code) ", chinese, " \(chinese) "]
      + term.aliases + term.aliases.map { " \($0) " }
    for spelling in spellings {
      #expect(T.parse(spelling) == term, "'\(spelling)' should be \(code)", sourceLocation: sourceLocation)
      #expect(
        try T.parsing(spelling, field: field) == term, "'\(spelling)'", sourceLocation: sourceLocation)
    }

    // No word may mean two different values.
    for word in [code, chinese] + term.aliases {
      let key = word.lowercased().replacingOccurrences(of: "-", with: "_")
      if let other = owner[key], other != term {
        Issue.record("'\(word)' means both \(other.rawValue) and \(code)", sourceLocation: sourceLocation)
      }
      owner[key] = term
    }
  }

  // JSON carries the code.
  for (term, code, _) in expected {
    let json = String(decoding: try JSONEncoder().encode([term]), as: UTF8.self)
    #expect(json == "[\"\(code)\"]", sourceLocation: sourceLocation)
    #expect(
      try JSONDecoder().decode([T].self, from: Data(json.utf8)) == [term], sourceLocation: sourceLocation)
  }

  // Unknown words are refused with the list of choices.
  for unknown in ["nonsense", "", "不存在的词", "\(expected[0].code)x"] {
    #expect(T.parse(unknown) == nil, "'\(unknown)'", sourceLocation: sourceLocation)
    let error = #expect(throws: VocabularyError.self, sourceLocation: sourceLocation) {
      try T.parsing(unknown, field: field)
    }
    guard let error else { continue }
    #expect(error.field == field, sourceLocation: sourceLocation)
    #expect(error.value == unknown, sourceLocation: sourceLocation)
    #expect(
      error.accepted == expected.map { "\($0.code) (\($0.chinese))" }, sourceLocation: sourceLocation)
    #expect(
      error.description.hasPrefix("\(field) '\(unknown)' is not known; use one of: "),
      sourceLocation: sourceLocation)
    for (_, code, chinese) in expected {
      #expect(error.description.contains("\(code) (\(chinese))"), sourceLocation: sourceLocation)
    }
  }
}

@Suite("Vocabulary")
struct VocabularyTests {
  @Test("kinds (件的种类)")
  func kinds() throws {
    try checkVocabulary(
      [
        (Kind.accusation, "accusation", "检举控告"), (.appeal, "appeal", "申诉"),
        (.suggestion, "suggestion", "批评建议"), (.petition, "petition", "申诉求决"), (.clue, "clue", "问题线索"),
      ], field: "kind")
    #expect(Kind.parse("意见建议") == .suggestion)
    #expect(Kind.parse("举报") == .accusation)
    #expect(Kind.parse("线索") == .clue)
  }

  @Test("sources (来源)")
  func sources() throws {
    try checkVocabulary(
      [
        (Source.public, "public", "群众举报"), (.inspection, "inspection", "巡视巡察移交"),
        (.superior, "superior", "上级交办"), (.transfer, "transfer", "有关机关移送"),
        (.internal, "internal", "本级发现"), (.subordinate, "subordinate", "下级报送"),
        (.media, "media", "媒体曝光"),
      ], field: "source")
    #expect(Source.parse("上级转办") == .superior)
    #expect(Source.parse("审计移送") == .transfer)
    #expect(Source.parse("曝光台") == .media)
  }

  @Test("channels (渠道)")
  func channels() throws {
    try checkVocabulary(
      [
        (Channel.letter, "letter", "来信"), (.visit, "visit", "来访"), (.phone, "phone", "来电"),
        (.email, "email", "电子邮件"), (.online, "online", "网络"), (.fax, "fax", "传真"),
        (.handover, "handover", "批量移交"),
      ], field: "channel")
    #expect(Channel.parse("电话") == .phone)
    #expect(Channel.parse("Mail") == .email)
  }

  @Test("reporter kinds (实名/匿名)")
  func reporterKinds() throws {
    try checkVocabulary(
      [(ReporterKind.realName, "real_name", "实名"), (.anonymous, "anonymous", "匿名")],
      field: "reporter")
    #expect(ReporterKind.parse("real-name") == .realName)
    #expect(ReporterKind.parse("Real-Name") == .realName)
    #expect(ReporterKind.parse("named") == .realName)
    #expect(ReporterKind.realName.label(.english) == "real name")
  }

  @Test("roles")
  func roles() throws {
    try checkVocabulary(
      [
        (Role.registrar, "registrar", "登记员"), (.handler, "handler", "承办人"), (.leader, "leader", "分管领导"),
        (.caseOffice, "case_office", "案管室"), (.auditor, "auditor", "审计员"), (.admin, "admin", "管理员"),
      ], field: "role")
    #expect(Role.parse("case-office") == .caseOffice)
    #expect(Role.parse("信访室") == .registrar)
  }

  @Test("states")
  func states() throws {
    try checkVocabulary(
      [
        (ItemState.registered, "registered", "已登记"), (.accepted, "accepted", "已受理"),
        (.assigned, "assigned", "已交办"), (.handling, "handling", "办理中"), (.onHold, "on_hold", "暂存待查"),
        (.concluded, "concluded", "已办结待审"), (.closed, "closed", "已办结"),
        (.notAccepted, "not_accepted", "不予受理"), (.duplicate, "duplicate", "重复件"),
        (.forwarded, "forwarded", "已转送"),
      ], field: "state")
    #expect(ItemState.parse("on-hold") == .onHold)
    #expect(ItemState.parse("not-accepted") == .notAccepted)
  }

  @Test("moves")
  func moves() throws {
    try checkVocabulary(
      [
        (Move.accept, "accept", "受理"), (.notAccept, "not_accept", "不予受理"), (.duplicate, "duplicate", "重复件"),
        (.forward, "forward", "转送"), (.assign, "assign", "交办"), (.start, "start", "开始办理"),
        (.dispose, "dispose", "处置"), (.hold, "hold", "暂存"), (.resume, "resume", "恢复办理"),
        (.conclude, "conclude", "办结"), (.close, "close", "结案"), (.reopen, "reopen", "重新办理"),
      ], field: "move")
    #expect(Move.parse("not-accept") == .notAccept)
    #expect(Move.parse("NOT-ACCEPT") == .notAccept)
  }

  @Test("disposals (线索处置)")
  func disposals() throws {
    try checkVocabulary(
      [
        (Disposal.talkInquiry, "talk_inquiry", "谈话函询"),
        (.preliminaryVerification, "preliminary_verification", "初步核实"), (.hold, "hold", "暂存待查"),
        (.closeOff, "close_off", "予以了结"), (.fileCase, "file_case", "立案审查调查"),
      ], field: "disposal")
    #expect(Disposal.parse("talk-inquiry") == .talkInquiry)
    #expect(Disposal.parse("preliminary-verification") == .preliminaryVerification)
    #expect(Disposal.parse("close-off") == .closeOff)
    #expect(Disposal.parse("file-case") == .fileCase)
  }

  @Test("findings (办理结论)")
  func findings() throws {
    try checkVocabulary(
      [
        (Finding.substantiated, "substantiated", "属实"),
        (.largelySubstantiated, "largely_substantiated", "基本属实"),
        (.partlySubstantiated, "partly_substantiated", "部分属实"),
        (.unsubstantiated, "unsubstantiated", "不属实"), (.support, "support", "予以支持"),
        (.explain, "explain", "解释说明"), (.reject, "reject", "不予支持"),
      ], field: "finding")
    #expect(Finding.parse("largely-substantiated") == .largelySubstantiated)
  }

  @Test("the error for an unknown word, in full")
  func errorText() {
    let error = #expect(throws: VocabularyError.self) {
      try ReporterKind.parsing("secret", field: "reporter")
    }
    #expect(
      error?.description == "reporter 'secret' is not known; use one of: real_name (实名), anonymous (匿名).")
  }

  @Test("a Chinese label is matched whole, not by a part of it")
  func noPartialMatch() {
    #expect(Kind.parse("检举控告书") == nil)
    #expect(Move.parse("受") == nil)
    #expect(ItemState.parse("已办结") == .closed)
    #expect(ItemState.parse("已办结待审") == .concluded)
    #expect(Move.parse("受理") == .accept)
    #expect(Move.parse("不予受理") == .notAccept)
  }

  @Test("petitions get support/explain/reject; other kinds a verdict on the facts")
  func findingApplies() {
    let petitionFindings: Set<Finding> = [.support, .explain, .reject]
    for finding in Finding.allCases {
      for kind in Kind.allCases {
        let expected =
          kind == .petition ? petitionFindings.contains(finding) : !petitionFindings.contains(finding)
        #expect(finding.applies(to: kind) == expected, "\(finding) for \(kind)")
      }
    }
  }

  @Test("reference letters of each kind")
  func referenceCodes() {
    #expect(Kind.allCases.map(\.referenceCode) == ["JB", "SS", "JY", "XF", "XS"])
    #expect(Set(Kind.allCases.map(\.referenceCode)).count == Kind.allCases.count)
  }

  @Test("clues and accusations take a disposal; the other kinds do not")
  func takesDisposal() {
    #expect(Kind.allCases.filter(\.takesDisposal) == [.accusation, .clue])
  }

  @Test("languages")
  func languages() {
    #expect(Language.chinese.rawValue == "zh")
    #expect(Language.english.rawValue == "en")
    #expect(Move.notAccept.label(.english) == "not accept")
    #expect(ItemState.onHold.label(.english) == "on hold")
    #expect(ItemState.onHold.label(.chinese) == "暂存待查")
  }
}
