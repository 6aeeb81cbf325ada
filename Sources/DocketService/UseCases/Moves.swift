import DocketCore
import DocketStore
import Foundation

/// What every move takes besides its own arguments.
public struct MoveOptions: Sendable {
  /// The effective time (`--at`); nil means now. Must not be before the item's latest event.
  public var at: Date?
  /// The version the person saw (`--if-version`); a different current version means someone else
  /// changed the item meanwhile.
  public var expectedVersion: Int?
  /// A free-text note for the journal.
  public var note: String?

  public init(at: Date? = nil, expectedVersion: Int? = nil, note: String? = nil) {
    self.at = at
    self.expectedVersion = expectedVersion
    self.note = note
  }
}

/// A move under way: the item as read, the changes being made and what the journal will say.
struct Transition {
  let item: Item
  let actor: Staff
  let at: Date
  var change: ItemChange
  /// What the journal says of it; `to` is set from `change` once the move has decided.
  var record: JournalEvent.MoveRecord
}

extension Docket {
  /// 受理: the registrar accepts the item for handling.
  public func accept(_ ref: String, actor: String?, _ options: MoveOptions = .init()) throws(DocketError)
    -> Item
  {
    try perform(.accept, ref, actor: actor, options) { _ throws(DocketError) in }
  }

  /// 不予受理: refused, with the reason the reporter will be told.
  public func notAccept(_ ref: String, reason: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError) -> Item
  {
    let reason = try required(reason, "a reason (--reason)")
    return try perform(.notAccept, ref, actor: actor, options) { t throws(DocketError) in
      t.record.reason = reason
    }
  }

  /// 重复件: the same reporter and matter as `original`; linked to it and counted apart.
  public func markDuplicate(
    _ ref: String, of original: String, actor: String?, _ options: MoveOptions = .init()
  )
    throws(DocketError) -> Item
  {
    try perform(.duplicate, ref, actor: actor, options) { t throws(DocketError) in
      guard let target = try store({ try ItemRepository(db).withRef(original) }) else {
        throw .notFound("item \(original) to link the duplicate to")
      }
      guard target.id != t.item.id else { throw .refused("\(ref) cannot be a duplicate of itself.") }
      // Link to the first item of the chain, so that counting and notices follow one original.
      var root = target
      while let next = root.duplicateOfRef, let parent = try store({ try ItemRepository(db).withRef(next) }) {
        root = parent
      }
      guard root.id != t.item.id else { throw .refused("\(ref) is itself the original of \(original).") }
      t.change.duplicateOfID = root.id
      t.record.original = root.ref
    }
  }

  /// 转送: sent to the competent body; closed-like.
  public func forward(_ ref: String, to body: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError) -> Item
  {
    let body = try required(body, "the body it goes to (--to)")
    return try perform(.forward, ref, actor: actor, options) { t throws(DocketError) in
      t.change.forwardedTo = body
      t.record.forwardedTo = body
    }
  }

  /// 交办: to a responsible unit and optionally a handler. Never to the unit an accused person belongs
  /// to, unless a leader overrides with a reason (which is journaled).
  public func assign(
    _ ref: String, unit unitName: String, handler: String? = nil, overrideReason: String? = nil,
    actor: String?, _ options: MoveOptions = .init()
  ) throws(DocketError) -> Item {
    try perform(.assign, ref, actor: actor, options) { t throws(DocketError) in
      guard let unit = try store({ try UnitRepository(db).named(unitName) }) else {
        throw .notFound("unit '\(unitName)'; list them with 'docket unit list'")
      }
      let conflicted = t.item.accused.filter { $0.unitID == unit.id || $0.unitName == unit.name }
      if !conflicted.isEmpty {
        guard let reason = overrideReason?.nonEmpty else {
          throw .refused(
            "\(ref) cannot be assigned to \(unit.name): an accused person belongs to that unit. A leader may override with --override-reason."
          )
        }
        guard Permissions.may(t.actor.roles, .overrideConflict) else {
          throw .forbidden(actor: t.actor.login, action: "override a conflict of interest; a leader must")
        }
        t.record.conflictOverride = reason
      }
      var handlerID: Int?
      if let handler {
        guard let staff = try store({ try StaffRepository(db).withLogin(handler) }) else {
          throw .notFound("staff member with login '\(handler)'")
        }
        guard staff.roles.contains(.handler) || staff.roles.contains(.leader) else {
          throw .refused("\(handler) is not a handler; assign to someone with the handler role.")
        }
        guard staff.unitID == nil || staff.unitID == unit.id else {
          throw .refused("\(handler) belongs to \(staff.unitName ?? "another unit"), not to \(unit.name).")
        }
        handlerID = staff.id
        t.record.handler = staff.login
      }
      t.change.unitID = unit.id
      t.change.handlerID = handlerID
      t.record.unit = unit.name
    }
  }

  /// 开始办理: the responsible unit starts handling.
  public func start(_ ref: String, actor: String?, _ options: MoveOptions = .init()) throws(DocketError)
    -> Item
  {
    try perform(.start, ref, actor: actor, options) { t throws(DocketError) in
      if t.change.handlerID == nil, t.actor.roles.contains(.handler) { t.change.handlerID = t.actor.id }
    }
  }

  /// 线索处置: a handler records how a clue is disposed of; a leader's disposal, or `approve` by a
  /// leader, approves it. The disposal `hold` (暂存待查) puts the item on hold until `until` once it
  /// is approved; proposed by a handler, it waits in handling for the leader.
  public func dispose(
    _ ref: String, disposal: Disposal?, approve: Bool = false, until: String? = nil, actor: String?,
    _ options: MoveOptions = .init()
  ) throws(DocketError) -> Item {
    try perform(.dispose, ref, actor: actor, options) { t throws(DocketError) in
      guard t.item.kind.takesDisposal else {
        throw .refused(
          "\(ref) is a \(t.item.kind.rawValue) (\(t.item.kind.chinese)); only clues and accusations take a disposal. Conclude it instead."
        )
      }
      let isLeader = Permissions.may(t.actor.roles, .approveDisposal)
      if approve && !isLeader {
        throw .forbidden(actor: t.actor.login, action: "approve a disposal; a leader must")
      }
      guard let method = disposal ?? t.item.disposal else {
        throw .invalid(
          "Say which disposal with --method: \(Disposal.allCases.map(\.command).joined(separator: ", ")).")
      }
      if disposal != nil && disposal != t.item.disposal { t.change.disposalApprovedBy = nil }
      t.change.disposal = method
      if approve || isLeader { t.change.disposalApprovedBy = t.actor.id }
      let approved = t.change.disposalApprovedBy != nil
      if method == .hold {
        t.change.holdUntil = try reviewDate(until ?? t.item.holdUntil, after: t.at)
        t.record.until = t.change.holdUntil
      }
      do throws(TransitionError) {
        t.change.state = try Lifecycle.target(
          of: .dispose, from: t.item.state, disposal: approved ? method : nil)
      } catch { throw .transition(ref: ref, error) }
      t.record.disposal = method
      t.record.approved = approved
    }
  }

  /// 暂存待查: on hold until a review date; deadline clocks pause.
  public func hold(_ ref: String, until: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError) -> Item
  {
    try perform(.hold, ref, actor: actor, options) { t throws(DocketError) in
      t.change.holdUntil = try reviewDate(until, after: t.at)
      t.record.until = t.change.holdUntil
    }
  }

  /// 恢复办理: back to handling from hold.
  public func resume(_ ref: String, actor: String?, _ options: MoveOptions = .init()) throws(DocketError)
    -> Item
  {
    try perform(.resume, ref, actor: actor, options) { t throws(DocketError) in
      t.change.holdUntil = nil
    }
  }

  /// 办结: the finding. A clue or accusation needs an approved disposal first; a finding of false
  /// accusation (诬告陷害) needs a leader.
  public func conclude(
    _ ref: String, finding: Finding, falseAccusation: Bool = false, actor: String?,
    _ options: MoveOptions = .init()
  ) throws(DocketError) -> Item {
    try perform(.conclude, ref, actor: actor, options) { t throws(DocketError) in
      guard finding.applies(to: t.item.kind) else {
        let fitting = Finding.allCases.filter { $0.applies(to: t.item.kind) }.map(\.command)
        throw .invalid(
          "The finding \(finding.command) does not fit the kind \(t.item.kind.rawValue); use one of: \(fitting.joined(separator: ", "))."
        )
      }
      if t.item.kind.takesDisposal && !t.item.disposalApproved {
        throw .refused(
          "\(ref) needs an approved disposal before it is concluded; record one with 'docket dispose \(ref) --method …' and have a leader approve it."
        )
      }
      if falseAccusation {
        guard Permissions.may(t.actor.roles, .findFalseAccusation) else {
          throw .forbidden(actor: t.actor.login, action: "find a false accusation (诬告陷害); a leader must")
        }
      }
      t.change.finding = finding
      t.change.falseAccusation = falseAccusation
      t.record.finding = finding
      t.record.falseAccusation = falseAccusation
    }
  }

  /// 结案: the leader or case office closes a concluded item.
  public func close(_ ref: String, actor: String?, _ options: MoveOptions = .init()) throws(DocketError)
    -> Item
  {
    try perform(.close, ref, actor: actor, options) { _ throws(DocketError) in }
  }

  /// 重新办理: a closed item back to handling, on an objection or new evidence.
  public func reopen(_ ref: String, reason: String, actor: String?, _ options: MoveOptions = .init())
    throws(DocketError) -> Item
  {
    let reason = try required(reason, "a reason (--reason)")
    return try perform(.reopen, ref, actor: actor, options) { t throws(DocketError) in
      t.change.finding = nil
      t.change.falseAccusation = false
      // New evidence means a new disposal decision: the old approval does not carry over.
      t.change.disposalApprovedBy = nil
      t.record.reason = reason
    }
  }

  /// The one path every move takes: permission, the state machine, the handler's unit, then the
  /// frame of ``changeItem(_:actor:_:_:)``.
  func perform(
    _ move: Move, _ ref: String, actor login: String?, _ options: MoveOptions,
    _ apply: (inout Transition) throws(DocketError) -> Void
  ) throws(DocketError) -> Item {
    let actor = try actor(login)
    guard Permissions.may(actor.roles, move) else {
      throw .forbidden(actor: actor.login, action: "\(move.command) items (\(move.chinese))")
    }
    return try changeItem(ref, actor: actor, options) { item, at throws(DocketError) in
      let target: ItemState
      do throws(TransitionError) {
        target = try Lifecycle.target(of: move, from: item.state)
      } catch {
        throw .transition(ref: ref, error)
      }
      // A move that only the handler role allows is for the items of the handler's own unit.
      if !Permissions.may(actor.roles.subtracting([.handler]), move) && item.unitID != actor.unitID {
        throw .forbidden(
          actor: actor.login,
          action:
            "\(move.command) \(ref), which is assigned to \(item.unitName ?? "no unit") and not to \(actor.unitName ?? "their unit")"
        )
      }
      var transition = Transition(
        item: item, actor: actor, at: at, change: ItemChange(item),
        record: .init(from: item.state, to: target, note: options.note))
      transition.change.state = target
      transition.change.lastEventAt = at
      try apply(&transition)
      if transition.change.state != item.state { transition.change.stateSince = at }
      transition.record.to = transition.change.state
      return (transition.change, .moved(move, transition.record))
    }
  }

  /// The frame every change of an item runs in, in one transaction: read the item, check the version
  /// the person saw and the effective time, let `body` decide the change (nil: nothing but the
  /// event), write it only if nobody changed the item meanwhile, journal it, read the item back.
  func changeItem(
    _ ref: String, actor: Staff, _ options: MoveOptions,
    _ body: (Item, Date) throws(DocketError) -> (
      change: ItemChange?, event: JournalEvent
    )
  ) throws(DocketError) -> Item {
    let now = now()
    return try transaction { () throws(DocketError) in
      let items = ItemRepository(db)
      guard let item = try store({ try items.withRef(ref) }) else { throw .notFound("item \(ref)") }
      try requireSees(item, actor)
      if let expected = options.expectedVersion, expected != item.version {
        throw .changedMeanwhile(ref: ref)
      }
      let at = try effectiveTime(options, item: item, now: now)
      let (change, event) = try body(item, at)
      let written = try store {
        if let change {
          try items.update(id: item.id, expectedVersion: item.version, change)
        } else {
          try items.touch(id: item.id, expectedVersion: item.version, at: at)
        }
      }
      guard written else { throw .changedMeanwhile(ref: ref) }
      try journal(item: item.id, actor: actor.login, event, at: at)
      try refreshClocks(itemID: item.id, subject: ItemSummary(item).clockSubject)
      guard let updated = try store({ try items.withRef(ref) }) else { throw .notFound("item \(ref)") }
      return updated
    }
  }

  /// The effective time of a change: `--at`, else now but never before the item's latest event (a
  /// racing colleague or a slow clock), so that only a time a person gave can be out of order.
  func effectiveTime(_ options: MoveOptions, item: Item, now: Date) throws(DocketError) -> Date {
    let at = (options.at ?? max(now, item.lastEventAt)).truncatedToMicroseconds
    guard at <= now.addingTimeInterval(300) else {
      throw .invalid("The effective time \(office.time.minuteString(at)) is in the future.")
    }
    guard at >= item.lastEventAt else {
      throw .refused(
        "The effective time \(office.time.minuteString(at)) is earlier than \(item.ref)'s latest event at \(office.time.minuteString(item.lastEventAt)); changes are entered in order."
      )
    }
    return at
  }

  func required(_ text: String, _ what: String) throws(DocketError) -> String {
    guard let value = text.nonEmpty else { throw .invalid("This move needs \(what).") }
    return value
  }

  /// A review date for a hold: a day in the office after the move's effective time.
  func reviewDate(_ text: String?, after at: Date) throws(DocketError) -> String {
    guard let text = text?.nonEmpty else {
      throw .invalid("A hold needs a review date (--until YYYY-MM-DD).")
    }
    let date = try time(text, option: "--until")!
    guard office.time.dayString(date) > office.time.dayString(at) else {
      throw .invalid(
        "The review date \(text) must be after the day of the move (\(office.time.dayString(at))).")
    }
    return office.time.dayString(date)
  }
}
