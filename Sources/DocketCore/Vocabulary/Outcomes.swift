/// 线索处置: the five ways a clue can be disposed of while it is being handled.
public enum Disposal: String, Term {
  case talkInquiry = "talk_inquiry"
  case preliminaryVerification = "preliminary_verification"
  case hold
  case closeOff = "close_off"
  case fileCase = "file_case"

  public var chinese: String {
    switch self {
    case .talkInquiry: "谈话函询"
    case .preliminaryVerification: "初步核实"
    case .hold: "暂存待查"
    case .closeOff: "予以了结"
    case .fileCase: "立案审查调查"
    }
  }
}

/// 办理结论: what handling found.
public enum Finding: String, Term {
  case substantiated
  case largelySubstantiated = "largely_substantiated"
  case partlySubstantiated = "partly_substantiated"
  case unsubstantiated
  case support, explain, reject

  public var chinese: String {
    switch self {
    case .substantiated: "属实"
    case .largelySubstantiated: "基本属实"
    case .partlySubstantiated: "部分属实"
    case .unsubstantiated: "不属实"
    case .support: "予以支持"
    case .explain: "解释说明"
    case .reject: "不予支持"
    }
  }

  /// Whether this finding fits the kind: petitions get support/explain/reject, the rest a verdict on the facts.
  public func applies(to kind: Kind) -> Bool {
    switch self {
    case .support, .explain, .reject: kind == .petition
    default: kind != .petition
    }
  }
}
