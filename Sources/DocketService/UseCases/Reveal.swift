import DocketCore
import DocketStore

extension Docket {
  /// Decrypts an item's reporter identity: a custodian's act, in person, with their passphrase
  /// (and a second custodian's when the reveal quorum is 2). The reason and who was present are
  /// journaled; the identity never is. A refusal is journaled too.
  public func reveal(
    _ ref: String, reason: String, custodians given: [CustodianPassphrase], actor login: String?
  ) throws(DocketError) -> ReporterIdentity {
    let actor = try actor(login)
    let item = try store { try ItemRepository(db).withRef(ref) }
    try requireCustodianAct(actor, given, act: "reveal", item: item?.id)
    let reason = try required(reason, "a reason (--reason)")
    guard let item else { throw .notFound("item \(ref)") }
    guard try store({ try ItemRepository(db).sealedIdentity(id: item.id) }) != nil else {
      throw .refused("\(ref) was sent anonymously (匿名); there is no identity to reveal.")
    }
    let unlocked = try unlockCustodians(given, act: "reveal", item: item.id, actor: actor)
    return try transaction { () throws(DocketError) in
      guard let sealed = try store({ try ItemRepository(db).sealedIdentity(id: item.id) }) else {
        throw .notFound("item \(ref)")
      }
      let identity = try Unsealer(self, unlocked).identity(sealed, ref: item.ref)
      try clearFailures(unlocked)
      try journal(
        item: item.id, actor: actor.login, .identityRevealed(reason: reason, with: Self.others(given, actor)),
        at: now())
      return identity
    }
  }

  /// Decrypts the reporters' identities of `items` for an export, as ``reveal(_:reason:custodians:actor:)``
  /// does one, and journals the disclosure with its reason on each item whose identity it gives out.
  /// Items without a sealed identity (anonymous) are left out of the result.
  public func revealForExport(
    _ items: [Item], reason: String, custodians given: [CustodianPassphrase], actor login: String?
  ) throws(DocketError) -> [Int64: ReporterIdentity] {
    let actor = try actor(login)
    try requireCustodianAct(actor, given, act: "export identities", item: nil)
    let reason = try required(reason, "a reason (--reason)")
    for item in items { try requireSees(item, actor) }
    let unlocked = try unlockCustodians(given, act: "export identities", actor: actor)
    return try transaction { () throws(DocketError) in
      let sealed = try store { try ItemRepository(db).sealedIdentities(ids: items.map(\.id)) }
      let unsealer = Unsealer(self, unlocked)
      try unsealer.prefetch(Array(sealed.values))
      let at = now()
      var identities: [Int64: ReporterIdentity] = [:]
      for item in items {
        guard let bytes = sealed[item.id] else { continue }
        identities[item.id] = try unsealer.identity(bytes, ref: item.ref)
        try journal(
          item: item.id, actor: actor.login,
          .identitiesExported(reason: reason, items: items.count, with: Self.others(given, actor)), at: at)
      }
      try clearFailures(unlocked)
      return identities
    }
  }

  /// Refuses, on the record, an act only a custodian may do in person: someone without the role,
  /// an administrator acting in another's name, or a custodian who did not give their own passphrase.
  func requireCustodianAct(_ actor: Staff, _ given: [CustodianPassphrase], act: String, item: Int64?)
    throws(DocketError)
  {
    let description = Self.custodianActs[act] ?? act
    do {
      try require(actor, .revealIdentity, "\(description); a leader who is a custodian must")
      try requireInPerson(actor, description)
    } catch {
      try journalRefusal(actor.login, act: act, item: item, actor: actor, why: "not permitted")
      throw error
    }
    guard given.contains(where: { $0.login == actor.login }) else {
      try refuse(
        actor.login, act: act, item: item, actor: actor, why: "no passphrase",
        sentence: "\(actor.login) must give their own passphrase to \(description).")
    }
  }

  /// What each custodian act is, in the words of a refusal: "boss2 may not …".
  static let custodianActs = [
    "reveal": "reveal a reporter's identity", "export identities": "export reporters' identities",
    "rotate key": "change the office key", "set reveal quorum": "change the office key",
    "add custodian": "add a custodian of the office key",
    "change passphrase": "change a custodian's passphrase",
  ]

  /// The custodians present besides the actor, for the journal's `with`.
  static func others(_ given: [CustodianPassphrase], _ actor: Staff) -> String? {
    let others = given.map(\.login).filter { $0 != actor.login }
    return others.isEmpty ? nil : others.joined(separator: ",")
  }
}

extension Docket {
  /// Refuses, before anyone types a passphrase, someone who may not do a custodian's act at all:
  /// not a leader, acting in another's name, or not a custodian. The refusal is journaled as the
  /// act's own would be. `ref` is the item the act is about, if it is about one.
  public func requireCustodian(actor login: String?, act: String, ref: String? = nil) throws(DocketError) {
    let actor = try actor(login)
    var item: Int64?
    if let ref { item = try store { try ItemRepository(db).withRef(ref) }?.id }
    try requireCustodianAct(
      actor, [CustodianPassphrase(login: actor.login, passphrase: "")], act: act, item: item)
    guard try store({ try KeyRepository(db).custodian(actor.login) }) != nil else {
      try refuse(
        actor.login, act: act, item: item, actor: actor, why: "not a custodian",
        sentence:
          "\(actor.login) is not a custodian of the office key; 'docket key status' lists them, and a custodian adds another with 'docket key custodian add'."
      )
    }
  }
}
