import DocketCore
import DocketStore
import Foundation

/// What the demo loaded, with the seed's ledgers and how many of each are closed.
public struct DemoSummary: Sendable {
  public struct Ledger: Sendable {
    public var name: String
    public var total: Int
    public var closed: Int
  }
  /// False when the scenario was there already and nothing was loaded.
  public var loaded: Bool
  public var items: Int
  public var ledgers: [Ledger]
  /// The seed's round of rectification.
  public var round: Int?
}

extension Docket {
  /// Loads a 2021 scenario modelled on the seed, through the same use cases staff use: the inspection
  /// team's 251 handed-over petition letters (all closed), 152 police-misconduct clues (137 closed),
  /// 17 gang-related clues (14 closed), 33 police-related petitions (23 closed) and public items by
  /// phone, post and email; and the seed's round of rectification (``DemoScenario/loadRound()``).
  /// Loading twice does nothing the second time.
  ///
  /// The scenario's leader ld.chen becomes the office key's custodian, under `custodianPassphrase`
  /// (the command line keeps it in a demo passphrase file and says so), if the database has no key.
  public func loadDemo(custodianPassphrase: String) throws(DocketError) -> DemoSummary {
    let admin = try actor(nil)
    try require(admin, .manageStaff, "load the demo")
    let settings = try store { try SettingsRepository(db).all() }
    if settings["demo_loaded"] == nil {
      // The scenario is thousands of use cases, each its own transaction; a load cut short leaves
      // part of it, which a second load must not pile onto.
      guard settings["demo_started"] == nil else {
        throw .refused(
          "An earlier demo load was interrupted and left part of the scenario; run the demo on a fresh database (a new DOCKET_HOME)."
        )
      }
      try store { try SettingsRepository(db).set("demo_started", Date().rfc3339) }
      try store { try db.relaxCommitDurability() }
      var scenario = DemoScenario(docket: self, admin: admin.login, custodianPassphrase: custodianPassphrase)
      try scenario.load()
      try store { try SettingsRepository(db).set("demo_loaded", Date().rfc3339) }
    }
    let items = try list(LedgerQuery(), actor: admin.login)
    let ledgers = DemoScenario.ledgers.map { name, category in
      let inLedger = items.filter { $0.category == category }
      return DemoSummary.Ledger(
        name: name, total: inLedger.count, closed: inLedger.filter(\.state.isClosedLike).count)
    }
    let round = try rectificationRounds(actor: admin.login).first { $0.name == DemoScenario.roundName }?.id
    return DemoSummary(
      loaded: settings["demo_loaded"] == nil, items: items.count, ledgers: ledgers, round: round)
  }
}

/// The scenario itself: units, staff, and each ledger's items moved through their lifecycle with
/// 2021 dates in Beijing time. A seeded generator keeps every run identical.
struct DemoScenario {
  let docket: Docket
  let admin: String
  let custodianPassphrase: String
  var random = SeededRandom(seed: 20_211_130)
  /// The handover batch of the inspection team's letters, once imported.
  var handoverBatch: Int64?

  static let ledgers: [(String, String)] = [
    ("巡视移交信访件", "巡视移交信访"),
    ("涉警问题线索", "涉警问题"),
    ("涉黑涉恶问题线索", "涉黑涉恶"),
    ("涉警信访件", "涉警信访"),
  ]

  static let police = "雷州市公安局"
  static let units = [
    police, "市纪委监委第一纪检监察室", "市纪委监委第二纪检监察室", "市纪委监委第三纪检监察室",
    "市纪委监委派驻公安局纪检监察组", "市信访局", "市自然资源局", "市住房和城乡建设局", "雷城街道", "客路镇",
  ]

  mutating func load() throws(DocketError) {
    for unit in Self.units { _ = try docket.addUnit(unit, actor: admin) }
    let people: [(String, String, Set<Role>, String?)] = [
      ("xf.li", "李信访", [.registrar], nil),
      ("xf.zhou", "周登记", [.registrar], nil),
      ("ld.chen", "陈分管", [.leader], nil),
      ("ag.wang", "王案管", [.caseOffice], nil),
      ("sj.huang", "黄审计", [.auditor], nil),
      ("jc1.lin", "林承办", [.handler], "市纪委监委第一纪检监察室"),
      ("jc2.wu", "吴承办", [.handler], "市纪委监委第二纪检监察室"),
      ("jc3.he", "何承办", [.handler], "市纪委监委第三纪检监察室"),
      ("pz.liang", "梁承办", [.handler], "市纪委监委派驻公安局纪检监察组"),
      ("xfj.mo", "莫承办", [.handler], "市信访局"),
      ("zr.cai", "蔡承办", [.handler], "市自然资源局"),
      ("zj.deng", "邓承办", [.handler], "市住房和城乡建设局"),
    ]
    for (login, name, roles, unit) in people {
      _ = try docket.addStaff(login: login, name: name, roles: roles, unit: unit, actor: admin)
    }
    if try docket.officeKeyFingerprint() == nil {
      try docket.createOfficeKey(custodian: "ld.chen", name: nil, passphrase: custodianPassphrase)
    }
    let report = day(2021, 11, 30)
    // 251 petition letters handed over by the provincial inspection team as one list (a batch),
    // all closed by November.
    let handedOver = try handoverList()
    for (index, item) in handedOver.enumerated() {
      let handler = ["xfj.mo", "zr.cai", "zj.deng"][index % 3]
      try lifecycle(
        item, handler: handler, closeBy: report, closed: true,
        finding: [.support, .explain, .reject][index % 3])
    }
    // 152 clues on police misconduct, 137 closed; handled by the commission, never by the police bureau.
    for index in 0..<152 {
      let received = day(2021, 3, 1).addingTimeInterval(Double(index) * 3600 * 24 * 1.2)
      try lifecycle(
        intake(
          channel: index % 3 == 0 ? .letter : .handover, kind: .clue,
          source: index % 3 == 0 ? .public : .inspection,
          category: "涉警问题", subject: Self.policeSubjects[index % Self.policeSubjects.count], at: received,
          realName: index % 2 == 0,
          accused: (Self.officerName(index), Self.police, index % 5 == 0 ? "派出所副所长" : "民警")),
        handler: ["pz.liang", "jc3.he"][index % 2], closeBy: report, closed: index < 137,
        finding: [.substantiated, .partlySubstantiated, .unsubstantiated][index % 3],
        disposal: Self.disposal(index))
    }
    // 17 gang-related clues, 14 closed.
    for index in 0..<17 {
      let received = day(2021, 4, 6).addingTimeInterval(Double(index) * 3600 * 24 * 9)
      try lifecycle(
        intake(
          channel: .handover, kind: .clue, source: .inspection, category: "涉黑涉恶",
          subject: "反映涉黑涉恶“保护伞”问题", at: received, realName: false,
          accused: (Self.officerName(index + 200), ["雷城街道", "客路镇"][index % 2], "干部")),
        handler: ["jc1.lin", "jc2.wu"][index % 2], closeBy: report, closed: index < 14,
        finding: [.partlySubstantiated, .unsubstantiated][index % 2], disposal: Self.disposal(index + 1))
    }
    // 33 police-related petitions, 23 closed.
    for index in 0..<33 {
      let received = day(2021, 5, 10).addingTimeInterval(Double(index) * 3600 * 24 * 5)
      try lifecycle(
        intake(
          channel: [.visit, .letter, .phone][index % 3], kind: .petition, source: .public, category: "涉警信访",
          subject: "反映案件久拖未办、执法不公问题", at: received, realName: true),
        handler: "pz.liang", closeBy: report, closed: index < 23,
        finding: [.support, .explain, .reject][index % 3])
    }
    try publicItems()
    _ = try loadRound()
  }

  /// The public channels the seed names: the 12388 phone line, letters marked on the envelope, email.
  mutating func publicItems() throws(DocketError) {
    for index in 0..<12 {
      let received = day(2021, 2, 1).addingTimeInterval(Double(index) * 3600 * 24 * 25 + 10 * 3600)
      var request = IntakeRequest(channel: .letter, subject: "对雷州市巡视整改情况的意见建议")
      request.summary = "建议加快推进巡视反馈问题整改，公开整改进展。"
      request.receivedAt = received
      request.details = [
        "envelope_note": "对雷州市巡视整改情况的意见建议",
        "postmark": docket.office.time.dayString(received.addingTimeInterval(-2 * 86400)),
      ]
      if index % 2 == 0 {
        request.reporterName = "群众\(index + 1)"
        request.reporterAddress = "雷州市雷城街道新城大道\(index + 10)号"
      }
      let item = try docket.intake(request, actor: "xf.zhou")
      if index < 10 {
        try lifecycle(
          item, handler: "xfj.mo", closeBy: day(2021, 11, 30), closed: true, finding: .substantiated,
          fromAccept: true)
      }
    }
    for index in 0..<14 {
      let received = day(2021, 6, 1).addingTimeInterval(Double(index) * 3600 * 24 * 12 + 15 * 3600)
      var request = IntakeRequest(channel: index % 2 == 0 ? .phone : .email, subject: "反映村干部侵占集体土地补偿款问题")
      request.kind = .accusation
      request.summary = "来电反映某村干部在征地补偿中优亲厚友、截留补偿款。"
      request.receivedAt = received
      if index % 2 == 0 {
        request.reporterPhone = "1380759\(String(format: "%04d", 1000 + index))"
        request.reporterName = "来电人\(index + 1)"
        request.details = ["duration": "\(3 + index % 7):\(10 + index)", "operator": "xf.li"]
      } else {
        request.reporterEmail = "citizen\(index)@example.cn"
      }
      request.accused = [AccusedInput(name: Self.officerName(400 + index), unit: "客路镇", rank: "村党支部书记")]
      let item = try docket.intake(request, actor: "xf.li")
      if index == 13 {
        _ = try docket.notAccept(
          item.ref, reason: "不属于纪检监察机关受理范围", actor: "xf.li", .init(at: received.addingTimeInterval(86400)))
      } else if index == 12 {
        _ = try docket.forward(
          item.ref, to: "雷州市人民法院", actor: "xf.li", .init(at: received.addingTimeInterval(86400)))
      } else {
        try lifecycle(
          item, handler: "jc1.lin", closeBy: day(2021, 11, 30), closed: index < 8,
          finding: .partlySubstantiated, disposal: .preliminaryVerification)
      }
    }
  }

  /// The inspection team's list of 251 handed-over petition letters, imported as one batch as an
  /// office would (`docket import handover`); its items in list order.
  mutating func handoverList() throws(DocketError) -> [Item] {
    var csv = "序号,来信日期,事由,内容摘要,问题类别,反映人,联系电话\n"
    for index in 0..<251 {
      let received = day(2021, 1, 28).addingTimeInterval(Double(index % 5) * 3600 * 24 + 9 * 3600)
      let subject = Self.petitionSubjects[index % Self.petitionSubjects.count]
      let minute = Int(received.timeIntervalSince1970 / 60)
      let reporter =
        index % 4 != 0 ? "反映人\(minute % 1000 + index),1392759\(String(format: "%04d", index))" : ","
      csv +=
        "\(index + 1),\(docket.office.time.minuteString(received)),\(subject),\(subject)。（演示数据）,巡视移交信访,\(reporter)\n"
    }
    var request = HandoverRequest(
      fileName: "省委第四巡视组移交信访件清单.csv", bytes: Array(csv.utf8), handedOverBy: "省委第四巡视组")
    request.kind = .petition
    request.handoverDate = CivilDate("2021-02-01")
    guard case .imported(let batch) = try docket.importHandover(request, actor: "xf.li").outcome else {
      throw .refused("The demo's handover list was imported before.")
    }
    handoverBatch = batch
    var query = LedgerQuery()
    query.batchID = batch
    return try docket.list(query, actor: admin).sorted { $0.ref < $1.ref }
  }

  func intake(
    channel: Channel, kind: Kind, source: Source, category: String, subject: String, at: Date, realName: Bool,
    accused: (String, String, String)? = nil
  ) throws(DocketError) -> Item {
    var request = IntakeRequest(channel: channel, subject: subject)
    request.kind = kind
    request.source = source
    request.category = category
    request.receivedAt = at
    request.summary = "\(subject)。（演示数据）"
    if realName {
      request.reporterName = "反映人\(Int(at.timeIntervalSince1970 / 60) % 1000)"
      request.reporterPhone = "1392759\(String(format: "%04d", Int(at.timeIntervalSince1970 / 3600) % 10000))"
    }
    if let (name, unit, rank) = accused {
      request.accused = [AccusedInput(name: name, unit: unit, rank: rank)]
    }
    return try docket.intake(request, actor: "xf.li")
  }

  /// Moves an item from registered through to closed (or leaves it open part-way), a few days apart.
  mutating func lifecycle(
    _ item: Item, handler: String, closeBy: Date, closed: Bool, finding: Finding, disposal: Disposal? = nil,
    fromAccept: Bool = true
  ) throws(DocketError) {
    let unit = try docket.staff(actor: admin).first { $0.login == handler }?.unitName ?? ""
    var at = item.receivedAt
    func next(_ days: Double) -> MoveOptions {
      at = at.addingTimeInterval(days * 86400)
      return MoveOptions(at: at)
    }
    let ref = item.ref
    _ = try docket.accept(ref, actor: "xf.li", next(1 + Double(random.next(3))))
    // The registrar tells a real-name reporter that the item was accepted, as the rules require.
    if item.reporterKind == .realName { _ = try docket.recordNotice(ref, actor: "xf.li", next(0.1)) }
    _ = try docket.assign(
      ref, unit: unit, handler: handler, actor: "ld.chen", next(1 + Double(random.next(3))))
    _ = try docket.start(ref, actor: handler, next(1))
    if item.kind.takesDisposal {
      _ = try docket.dispose(
        ref, disposal: disposal ?? .preliminaryVerification, actor: handler, next(5 + Double(random.next(10)))
      )
      _ = try docket.dispose(ref, disposal: nil, approve: true, actor: "ld.chen", next(2))
    }
    guard closed else { return }
    let remaining = max(1, closeBy.timeIntervalSince(at) / 86400 - 2)
    _ = try docket.conclude(
      ref, finding: finding, actor: handler, next(min(remaining, 10 + Double(random.next(40)))))
    _ = try docket.close(
      ref, actor: "ld.chen", next(min(1, max(0.01, closeBy.timeIntervalSince(at) / 86400 - 0.1))))
    if item.reporterKind == .realName { _ = try docket.recordFeedback(ref, actor: "xf.li", next(3)) }
  }

  func day(_ year: Int, _ month: Int, _ day: Int) -> Date {
    (try? docket.office.time.parse(String(format: "%04d-%02d-%02d", year, month, day))) ?? Date()
  }

  static func disposal(_ index: Int) -> Disposal {
    [.preliminaryVerification, .talkInquiry, .closeOff, .fileCase][index % 4]
  }

  static func officerName(_ index: Int) -> String {
    let family = Array("陈林黄吴李梁何蔡邓莫杨许郑谢")
    let given = Array("志伟明华国强建军海涛永东文斌")
    return "\(family[index % family.count])某\(given[(index / family.count) % given.count])"
  }

  static let petitionSubjects = [
    "反映征地拆迁补偿不到位问题", "反映农村危房改造资金发放问题", "反映低保评定不公问题",
    "反映土地承包经营权纠纷问题", "反映城区违章建筑查处不力问题", "反映学校乱收费问题",
  ]
  static let policeSubjects = [
    "反映民警违规插手经济纠纷问题", "反映派出所受案不立问题", "反映民警违规收取费用问题",
    "反映交警执法不规范问题", "反映民警充当“保护伞”问题",
  ]
}

/// A small deterministic generator (SplitMix64), so the demo is the same on every machine.
struct SeededRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next(_ bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int((z ^ (z >> 31)) % UInt64(bound))
  }
}
