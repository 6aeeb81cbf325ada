/// Where an item stands in its lifecycle.
public enum ItemState: String, Term {
  case registered, accepted, assigned, handling
  case onHold = "on_hold"
  case concluded, closed
  case notAccepted = "not_accepted"
  case duplicate, forwarded

  public var chinese: String {
    switch self {
    case .registered: "已登记"
    case .accepted: "已受理"
    case .assigned: "已交办"
    case .handling: "办理中"
    case .onHold: "暂存待查"
    case .concluded: "已办结待审"
    case .closed: "已办结"
    case .notAccepted: "不予受理"
    case .duplicate: "重复件"
    case .forwarded: "已转送"
    }
  }

  /// Closed, forwarded and not accepted count as done (办结) in every report.
  public var isClosedLike: Bool { self == .closed || self == .forwarded || self == .notAccepted }

  /// Whether the item still needs someone's work; a duplicate is neither open nor closed-like.
  public var isOpen: Bool { !isClosedLike && self != .duplicate }
}
