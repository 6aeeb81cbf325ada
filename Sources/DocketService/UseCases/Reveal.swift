import DocketCore
import DocketStore

extension Docket {
  /// Decrypts an item's reporter identity for a permitted role, with a reason that is journaled
  /// (the identity itself never is).
  public func reveal(_ ref: String, reason: String, actor login: String?) throws(DocketError)
    -> ReporterIdentity
  {
    let actor = try actor(login)
    try require(actor, .revealIdentity, "reveal a reporter's identity; a leader must")
    let reason = try required(reason, "a reason (--reason)")
    return try transaction { () throws(DocketError) in
      let items = ItemRepository(db)
      guard let item = try store({ try items.withRef(ref) }) else { throw .notFound("item \(ref)") }
      guard let sealed = try store({ try items.sealedIdentity(id: item.id) }) else {
        throw .refused("\(ref) was sent anonymously (匿名); there is no identity to reveal.")
      }
      let identity = try vault().open(sealed, ref: item.ref)
      try journal(
        item: item.id, actor: actor.login, event: "identity_revealed", at: now(), payload: ["reason": reason])
      return identity
    }
  }
}
