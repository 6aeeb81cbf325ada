/// 件的种类: what an item is.
public enum Kind: String, Term {
  case accusation, appeal, suggestion, petition, clue

  public var chinese: String {
    switch self {
    case .accusation: "检举控告"
    case .appeal: "申诉"
    case .suggestion: "批评建议"
    case .petition: "申诉求决"
    case .clue: "问题线索"
    }
  }

  public var aliases: [String] {
    switch self {
    case .accusation: ["检举", "控告", "举报"]
    case .appeal: []
    case .suggestion: ["意见建议", "建议"]
    case .petition: ["信访"]
    case .clue: ["线索"]
    }
  }

  /// The letters that stand for the kind in a reference number (`2021-XF-00251`).
  public var referenceCode: String {
    switch self {
    case .accusation: "JB"
    case .appeal: "SS"
    case .suggestion: "JY"
    case .petition: "XF"
    case .clue: "XS"
    }
  }

  /// Whether a handler records a disposal (线索处置) for this kind before concluding it.
  public var takesDisposal: Bool { self == .clue || self == .accusation }
}

/// 来源: who brought the item to the office.
public enum Source: String, Term {
  case `public`, inspection, superior, transfer, `internal`, subordinate, media

  public var chinese: String {
    switch self {
    case .public: "群众举报"
    case .inspection: "巡视巡察移交"
    case .superior: "上级交办"
    case .transfer: "有关机关移送"
    case .internal: "本级发现"
    case .subordinate: "下级报送"
    case .media: "媒体曝光"
    }
  }

  public var aliases: [String] {
    switch self {
    case .public: ["举报"]
    case .inspection: ["巡视移交", "巡察移交", "巡视"]
    case .superior: ["上级转办", "交办", "转办"]
    case .transfer: ["移送", "审计移送", "执法移送", "司法移送"]
    case .internal: ["本级"]
    case .subordinate: ["下级"]
    case .media: ["媒体", "曝光台"]
    }
  }
}

/// 渠道: how the item physically arrived.
public enum Channel: String, Term {
  case letter, visit, phone, email, online, fax, handover

  public var chinese: String {
    switch self {
    case .letter: "来信"
    case .visit: "来访"
    case .phone: "来电"
    case .email: "电子邮件"
    case .online: "网络"
    case .fax: "传真"
    case .handover: "批量移交"
    }
  }

  public var aliases: [String] {
    switch self {
    case .letter: ["post", "信件"]
    case .visit: ["走访"]
    case .phone: ["电话"]
    case .email: ["邮件", "mail"]
    case .online: ["网上", "web"]
    case .fax: []
    case .handover: ["移交"]
    }
  }
}

/// 实名 or 匿名: all that lists, reports and exports ever say about a reporter.
public enum ReporterKind: String, Term {
  case realName = "real_name"
  case anonymous

  public var chinese: String { self == .realName ? "实名" : "匿名" }
  public var aliases: [String] { self == .realName ? ["real-name", "named"] : [] }
}

/// A staff member's role, which decides what they may do.
public enum Role: String, Term {
  case registrar, handler, leader
  case caseOffice = "case_office"
  case auditor, admin

  public var chinese: String {
    switch self {
    case .registrar: "登记员"
    case .handler: "承办人"
    case .leader: "分管领导"
    case .caseOffice: "案管室"
    case .auditor: "审计员"
    case .admin: "管理员"
    }
  }

  public var aliases: [String] {
    switch self {
    case .registrar: ["信访室"]
    case .handler: ["承办部门"]
    case .leader: ["领导"]
    case .caseOffice: ["案管"]
    case .auditor: ["审计"]
    case .admin: ["administrator"]
    }
  }
}
