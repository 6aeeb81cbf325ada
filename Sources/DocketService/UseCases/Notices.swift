import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// 受理告知: the real-name reporter was told whether the item was accepted. Stops that clock.
  public func recordNotice(_ ref: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError)
    -> Item
  {
    try annotate(ref, event: "notified", actor: actor, options, may: .register) {
      item, payload throws(DocketError) in
      guard item.reporterKind == .realName else {
        throw .refused("\(ref) was sent anonymously (匿名); there is nobody to notify.")
      }
      guard item.state != .registered, item.state != .duplicate else {
        throw .refused(
          "\(ref) is \(item.state.rawValue) (\(item.state.chinese)); the notice follows the decision to accept or not."
        )
      }
    }
  }

  /// 结果反馈: the real-name reporter was told the result of a closed item. Stops that clock.
  public func recordFeedback(_ ref: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError)
    -> Item
  {
    try annotate(ref, event: "feedback_given", actor: actor, options, may: .register) {
      item, _ throws(DocketError) in
      guard item.reporterKind == .realName else {
        throw .refused("\(ref) was sent anonymously (匿名); there is nobody to give feedback to.")
      }
      guard item.state == .closed else {
        throw .refused("\(ref) is \(item.state.rawValue) (\(item.state.chinese)); feedback follows closure.")
      }
    }
  }

  /// Extends a petition's handling period once, by at most the policy's longest extension; a leader's decision.
  public func extendPetition(
    _ ref: String, days: Int, reason: String, actor: String?, _ options: MoveOptions = .init()
  ) throws(DocketError) -> Item {
    let reason = try required(reason, "a reason (--reason)")
    let rule = try store { try PolicyRepository(db).rules() }.first { $0.clock == .petitionHandling }
    return try annotate(ref, event: "extended", actor: actor, options, may: .approveDisposal) {
      item, payload throws(DocketError) in
      guard item.kind == .petition, [.accepted, .assigned, .handling, .onHold].contains(item.state) else {
        throw .refused(
          "Only a petition being handled can be extended; \(ref) is a \(item.kind.rawValue) in state \(item.state.rawValue)."
        )
      }
      let limit = rule?.extensionLength ?? 0
      guard (1...max(limit, 1)).contains(days), limit > 0 else {
        throw .invalid("An extension is 1 to \(limit) days under the policy.")
      }
      let earlier = try store { try JournalRepository(db).entries(itemID: item.id) }.contains {
        $0.event == "extended"
      }
      guard !earlier else {
        throw .refused("\(ref) has been extended once already; the rules allow one extension.")
      }
      payload["days"] = String(days)
      payload["reason"] = reason
    }
  }

  /// The path every annotation takes: permission, the checks, then the frame of
  /// ``changeItem(_:actor:_:_:)`` with no state change.
  func annotate(
    _ ref: String, event: String, actor login: String?, _ options: MoveOptions, may action: Action,
    _ check: (Item, inout [String: String?]) throws(DocketError) -> Void
  ) throws(DocketError) -> Item {
    let actor = try actor(login)
    try require(actor, action, "record \(event.replacingOccurrences(of: "_", with: " ")) on items")
    return try changeItem(ref, actor: actor, options) { item, _ throws(DocketError) in
      var payload: [String: String?] = ["note": options.note]
      try check(item, &payload)
      return (nil, event, payload)
    }
  }
}
