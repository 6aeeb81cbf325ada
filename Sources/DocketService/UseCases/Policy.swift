import DocketCore
import DocketStore

extension Docket {
  /// The deadline policy: each clock with what starts it, its length and unit.
  public func deadlinePolicy(actor login: String?) throws(DocketError) -> [ClockRule] {
    try require(try actor(login), .readLedger, "read the deadline policy")
    return try store { try PolicyRepository(db).rules() }
  }

  /// Changes a clock's length (and optionally its unit or longest extension); journaled.
  public func setDeadline(
    _ clock: DeadlineClock, length: Int, unit: PeriodUnit? = nil, extension extensionLength: Int? = nil,
    actor login: String?
  ) throws(DocketError) -> ClockRule {
    let actor = try actor(login)
    try require(actor, .configure, "change the deadline policy")
    guard (1...3650).contains(length) else {
      throw .invalid("A deadline of \(length) is not a length; give a whole number from 1 to 3650.")
    }
    if let extensionLength, !(1...3650).contains(extensionLength) {
      throw .invalid(
        "An extension of \(extensionLength) is not a length; give a whole number from 1 to 3650.")
    }
    let changed = try transaction { () throws(DocketError) in
      let policy = PolicyRepository(db)
      guard var rule = try store({ try policy.rules() }).first(where: { $0.clock == clock }) else {
        throw .notFound("deadline clock \(clock.rawValue)")
      }
      let before = rule.lengthLabel(.english)
      rule.length = length
      rule.unit = unit ?? rule.unit
      if let extensionLength { rule.extensionLength = extensionLength }
      try store { try policy.update(rule) }
      try journal(
        item: nil, actor: actor.login,
        .policyChanged(
          clock: clock.rawValue, from: before, to: rule.lengthLabel(.english),
          extension: rule.extensionLength.map(String.init)), at: now())
      try invalidateClocks()
      return rule
    }
    // Due days and overdue periods follow the new length; until they are worked out again,
    // readers replay the journals, so a failure here loses nothing.
    try workOutMissingClocks()
    return changed
  }
}
