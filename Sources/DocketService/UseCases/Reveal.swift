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
    try requireInPerson(actor, "reveal a reporter's identity")
    let reason = try required(reason, "a reason (--reason)")
    return try transaction { () throws(DocketError) in
      let items = ItemRepository(db)
      guard let item = try store({ try items.withRef(ref) }) else { throw .notFound("item \(ref)") }
      guard let sealed = try store({ try items.sealedIdentity(id: item.id) }) else {
        throw .refused("\(ref) was sent anonymously (匿名); there is no identity to reveal.")
      }
      let identity = try vault().open(sealed, ref: item.ref)
      try journal(item: item.id, actor: actor.login, .identityRevealed(reason: reason), at: now())
      return identity
    }
  }

  /// Decrypts the reporters' identities of `items` for an export, for a permitted role in person,
  /// and journals the disclosure with its reason on each item whose identity it gives out.
  /// Items without a sealed identity (anonymous) are left out of the result.
  public func revealForExport(_ items: [Item], reason: String, actor login: String?) throws(DocketError)
    -> [Int64: ReporterIdentity]
  {
    let actor = try actor(login)
    try require(actor, .revealIdentity, "export reporters' identities; a leader must")
    try requireInPerson(actor, "export reporters' identities")
    let reason = try required(reason, "a reason (--reason)")
    return try transaction { () throws(DocketError) in
      let sealed = try store { try ItemRepository(db).sealedIdentities(ids: items.map(\.id)) }
      let vault = try vault()
      let at = now()
      var identities: [Int64: ReporterIdentity] = [:]
      for item in items {
        guard let bytes = sealed[item.id] else { continue }
        try requireSees(item, actor)
        identities[item.id] = try vault.open(bytes, ref: item.ref)
        try journal(
          item: item.id, actor: actor.login, .identitiesExported(reason: reason, items: items.count), at: at)
      }
      return identities
    }
  }
}
