/// A lifecycle move: every change of an item's state is one of these, and each is a journal event.
public enum Move: String, Term {
  case accept
  case notAccept = "not_accept"
  case duplicate, forward, assign, start, dispose, hold, resume, conclude, close, reopen

  public var chinese: String {
    switch self {
    case .accept: "受理"
    case .notAccept: "不予受理"
    case .duplicate: "重复件"
    case .forward: "转送"
    case .assign: "交办"
    case .start: "开始办理"
    case .dispose: "处置"
    case .hold: "暂存"
    case .resume: "恢复办理"
    case .conclude: "办结"
    case .close: "结案"
    case .reopen: "重新办理"
    }
  }
}
