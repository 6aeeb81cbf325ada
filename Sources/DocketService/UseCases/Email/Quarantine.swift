import Crypto
import DocketCore
import DocketMail
import DocketStore
import Foundation

extension Docket {
  /// The messages in quarantine (held ones only unless `all`), without their content.
  public func quarantined(all: Bool = false, actor login: String?) throws(DocketError) -> [QuarantineEntry] {
    try require(try actor(login), .register, "look into the mail quarantine")
    return try store { try MailRepository(db).quarantined(includeResolved: all) }
  }

  /// Tries a held message again (after a fix to docket or a larger size limit): registered, it
  /// leaves quarantine; refused again, it stays with the new reason. The message is sealed, and
  /// names its sender: a custodian opens it (`custodians`, as many as the reveal quorum), and the
  /// journal says who.
  public func retryQuarantined(_ id: Int64, custodians given: [CustodianPassphrase], actor login: String?)
    throws(DocketError) -> EmailIntakeResult
  {
    let actor = try actor(login)
    try require(actor, .register, "retry quarantined mail")
    let rules = try emailRules()
    let unlocked = try unlockCustodians(given, act: "open quarantined message", actor: actor)
    return try transaction { () throws(DocketError) in
      let mail = MailRepository(db)
      guard let held = try store({ try mail.lockQuarantined(id) }) else {
        throw .notFound("message \(id) in quarantine; list them with 'docket intake quarantine list'")
      }
      guard held.entry.state == "held" else {
        throw .refused("Message \(id) is no longer held in quarantine (it was \(held.entry.state)).")
      }
      let raw = try Unsealer(self, unlocked).open(held.sealed, context: SealedContext.message(held.sha256))
      try clearFailures(unlocked)
      let message: MailMessage
      do throws(MailError) { message = try mailParser(sizeLimit: rules.sizeLimit).parse(raw) } catch {
        let (reason, notMail) = (error.description, error.isNotMail)
        try store { try mail.updateReason(id, reason: reason, notMail: notMail) }
        return EmailIntakeResult(
          outcome: .quarantined(id: id, reason: reason, notMail: notMail), warnings: [])
      }
      let now = now()
      let outcome = try ingest(
        message, raw: raw, digest: held.sha256, rules: rules, arrivedAt: held.entry.quarantinedAt,
        actor: actor)
      let ref: String? =
        switch outcome {
        case .registered(let ref), .reply(let ref), .known(let ref): ref
        case .quarantined: nil
        }
      let item = try ref.flatMap { ref throws(DocketError) in
        try store { try ItemRepository(db).withRef(ref) }
      }
      try store { try mail.resolve(id, state: "retried", by: actor.login, at: now, itemID: item?.id) }
      try journal(
        item: item?.id, actor: actor.login,
        .emailQuarantineRetried(
          quarantine: String(id), ref: ref, openedBy: given.map(\.login).joined(separator: ",")), at: now
      )
      return EmailIntakeResult(outcome: outcome, warnings: message.warnings)
    }
  }

  /// Gives up on a held message (spam, not for this office). It stays in the database, marked,
  /// and the journal says who dropped it and why.
  public func dropQuarantined(_ id: Int64, reason: String, actor login: String?) throws(DocketError) {
    let actor = try actor(login)
    try require(actor, .register, "drop quarantined mail")
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw .invalid("Say why the message is dropped with --reason.") }
    try transaction { () throws(DocketError) in
      let mail = MailRepository(db)
      guard let held = try store({ try mail.lockQuarantined(id) }) else {
        throw .notFound("message \(id) in quarantine; list them with 'docket intake quarantine list'")
      }
      guard held.entry.state == "held" else {
        throw .refused("Message \(id) is no longer held in quarantine (it was \(held.entry.state)).")
      }
      let now = now()
      try store { try mail.resolve(id, state: "dropped", by: actor.login, at: now, itemID: nil) }
      try journal(
        item: nil, actor: actor.login, .emailQuarantineDropped(quarantine: String(id), reason: reason),
        at: now)
    }
  }
}

extension MailError {
  var isNotMail: Bool {
    if case .notMail = self { return true }
    return false
  }
}
