import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// 受理告知: the real-name reporter was told whether the item was accepted. Stops that clock.
  public func recordNotice(_ ref: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError)
    -> Item
  {
    try annotate(ref, actor: actor, options, may: .register, doing: "record notices") {
      item throws(DocketError) in
      guard item.reporterKind == .realName else {
        throw .refused("\(ref) was sent anonymously (匿名); there is nobody to notify.")
      }
      guard item.state != .registered, item.state != .duplicate else {
        throw .refused(
          "\(ref) is \(item.state.rawValue) (\(item.state.chinese)); the notice follows the decision to accept or not."
        )
      }
      return .notified(note: options.note)
    }
  }

  /// 结果反馈: the real-name reporter was told the result of a closed item. Stops that clock.
  public func recordFeedback(_ ref: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError)
    -> Item
  {
    try annotate(ref, actor: actor, options, may: .register, doing: "record feedback") {
      item throws(DocketError) in
      guard item.reporterKind == .realName else {
        throw .refused("\(ref) was sent anonymously (匿名); there is nobody to give feedback to.")
      }
      guard item.state == .closed else {
        throw .refused("\(ref) is \(item.state.rawValue) (\(item.state.chinese)); feedback follows closure.")
      }
      return .feedbackGiven(note: options.note)
    }
  }

  /// Extends a petition's handling period once, by at most the policy's longest extension; a leader's decision.
  public func extendPetition(
    _ ref: String, days: Int, reason: String, actor: String?, _ options: MoveOptions = .init()
  ) throws(DocketError) -> Item {
    let reason = try required(reason, "a reason (--reason)")
    let rule = try store { try PolicyRepository(db).rules() }.first { $0.clock == .petitionHandling }
    return try annotate(ref, actor: actor, options, may: .approveDisposal, doing: "extend petitions") {
      item throws(DocketError) in
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
        if case .extended = $0.content { true } else { false }
      }
      guard !earlier else {
        throw .refused("\(ref) has been extended once already; the rules allow one extension.")
      }
      return .extended(days: days, reason: reason, note: options.note)
    }
  }

  /// The path every annotation takes: permission, the checks, then the frame of
  /// ``changeItem(_:actor:_:_:)`` with no state change. `check` refuses, or says what to journal.
  func annotate(
    _ ref: String, actor login: String?, _ options: MoveOptions, may action: Action, doing: String,
    _ check: (Item) throws(DocketError) -> JournalEvent
  ) throws(DocketError) -> Item {
    let actor = try actor(login)
    try require(actor, action, "\(doing)")
    return try changeItem(ref, actor: actor, options) { item, _ throws(DocketError) in
      (nil, try check(item))
    }
  }
}
