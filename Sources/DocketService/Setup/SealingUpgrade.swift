import DocketCore
import DocketStore
import Foundation

/// A leader to make the first custodian of the office key: `--custodian LOGIN [--custodian-name
/// NAME]`, the passphrase from the terminal, a file descriptor or a 0600 file.
public struct CustodianSetup: Sendable {
  public var login: String
  public var name: String?
  public var passphrase: String

  public init(login: String, name: String?, passphrase: String) {
    self.login = login
    self.name = name
    self.passphrase = passphrase
  }
}

/// What `docket db migrate` re-sealed from the key file of docket before 0018.
public struct SealingUpgrade: Sendable {
  public var oldKeyID: String
  public var fingerprint: String
  public var identities: Int
  public var messages: Int
  public var quarantined: Int
}

extension Docket {
  /// Rows re-sealed per transaction, and raw message bytes at most.
  static let upgradeBatch = 1_000
  static let upgradeBatchBytes: Int64 = 64 << 20

  /// The fingerprint of the old key file, while this database still has values it sealed.
  public func sealingUpgradePending() throws(DocketError) -> String? {
    try store { try IdentityRepository(db).oldKeyID() }
  }

  /// Re-seals to the office key everything docket before 0018 sealed with its symmetric key file,
  /// which is read this once. The file's matching key becomes the database's, so every stored
  /// match hash keeps matching; the office key and its first custodian are made first if the
  /// database has none (`custodian`). A batch per transaction, each in an envelope of its own: an
  /// upgrade that stops loses nothing, and the next `db migrate` carries on from where it stopped.
  /// Afterwards the key file opens nothing in the database, and the command line says to destroy it
  /// and the backups that need it.
  public func upgradeSealing(keyFile: KeyFile, custodian: CustodianSetup?) throws(DocketError)
    -> SealingUpgrade
  {
    let identities = IdentityRepository(db)
    guard let oldKeyID = try store({ try identities.oldKeyID() }) else {
      throw .refused("This database has nothing sealed with an old key file.")
    }
    let vault = try keyFile.load()
    guard vault.keyID == oldKeyID else {
      throw .identityKey(
        "The key file \(keyFile.url.path) is not the one this database's identities were sealed with (the file's key is \(vault.keyID), the database's \(oldKeyID)); give the original with --key-file FILE."
      )
    }
    // Whatever this connection read before is no longer the matching key.
    sealingKeys = nil
    try transaction { () throws(DocketError) in
      let keys = KeyRepository(db)
      try store { try SettingsRepository(db).lockForInitialization() }
      switch try store({ try keys.matchingKey() }) {
      case nil: try store { try keys.setMatchingKey(vault.matchingKeyBytes, at: now()) }
      case let key? where key == vault.matchingKeyBytes: break
      default:
        throw .refused(
          "This database's matching key is not the one of the key file \(keyFile.url.path); the stored match hashes would stop matching. Nothing was changed."
        )
      }
    }
    if try store({ try KeyRepository(db).officeKeyInUse() }) == nil {
      guard let custodian else {
        throw .usage(
          "This database's identities are sealed with the key file of an older docket; to re-seal them to an office key, name its first custodian: 'docket db migrate --custodian LOGIN [--custodian-name NAME] [--passphrase-file FILE]'."
        )
      }
      try createOfficeKey(custodian: custodian.login, name: custodian.name, passphrase: custodian.passphrase)
    }
    let total = try store { try identities.unsealedToOfficeKey() }
    var done = 0
    func advanced(_ count: Int) {
      done += count
      advance("re-seal to office key", "values", done: done, total: total)
    }
    advance("re-seal to office key", "values", done: 0, total: total)
    let counts = (
      identities: try resealIdentities(vault, advanced), messages: try resealMessages(vault, advanced),
      quarantined: try resealQuarantine(vault, advanced)
    )
    advance("re-seal to office key", "values", done: done, total: total, finished: true)
    return try transaction { () throws(DocketError) in
      let left = try store { try identities.unsealedToOfficeKey() }
      guard left == 0 else {
        throw .temporary(
          "\(left) value(s) were sealed with the old key file meanwhile; run 'docket db migrate' again.")
      }
      let fingerprint = try store { try KeyRepository(db).officeKeyInUse() }?.fingerprint ?? ""
      try store { try identities.forgetOldKey() }
      try journal(
        item: nil, actor: "system",
        .sealingUpgraded(
          oldKeyID: oldKeyID, fingerprint: fingerprint, identities: counts.identities,
          messages: counts.messages,
          quarantined: counts.quarantined), at: now())
      return SealingUpgrade(
        oldKeyID: oldKeyID, fingerprint: fingerprint, identities: counts.identities,
        messages: counts.messages,
        quarantined: counts.quarantined)
    }
  }

  private func resealIdentities(_ vault: IdentityVault, _ advanced: (Int) -> Void) throws(DocketError) -> Int
  {
    let identities = IdentityRepository(db)
    return try resealInBatches(
      advanced,
      read: { (after) throws(DatabaseError) in
        try identities.sealedIdentities(after: after, limit: Self.upgradeBatch)
      }, id: \.id,
      reseal: { (row, sealer) throws(DocketError) in
        try sealer.seal(try vault.open(row.sealed, ref: row.ref), ref: row.ref)
      }, write: identities.rewriteIdentities)
  }

  private func resealMessages(_ vault: IdentityVault, _ advanced: (Int) -> Void) throws(DocketError) -> Int {
    let identities = IdentityRepository(db)
    return try resealInBatches(
      advanced,
      read: { (after) throws(DatabaseError) in
        try identities.sealedMessages(after: after, limit: Self.upgradeBatch, bytes: Self.upgradeBatchBytes)
      }, id: \.id,
      reseal: { (row, sealer) throws(DocketError) in
        try sealer.seal(
          message: try vault.open(message: row.sealed, digest: row.rawSHA256), digest: row.rawSHA256)
      }, write: identities.rewriteMessages)
  }

  private func resealQuarantine(_ vault: IdentityVault, _ advanced: (Int) -> Void) throws(DocketError) -> Int
  {
    let identities = IdentityRepository(db)
    return try resealInBatches(
      advanced,
      read: { (after) throws(DatabaseError) in
        try identities.sealedQuarantine(after: after, limit: Self.upgradeBatch, bytes: Self.upgradeBatchBytes)
      }, id: \.id,
      reseal: { (row, sealer) throws(DocketError) in
        try sealer.seal(
          message: try vault.open(message: row.sealed, digest: row.rawSHA256), digest: row.rawSHA256)
      }, write: identities.rewriteQuarantine)
  }

  /// Re-seals rows a batch per transaction, each batch in an envelope of its own, reading the next
  /// batch after the last id done (so a stopped upgrade carries on), until a read finds none.
  private func resealInBatches<Row>(
    _ advanced: (Int) -> Void, read: (Int64) throws(DatabaseError) -> [Row], id: (Row) -> Int64,
    reseal: (Row, Sealer) throws(DocketError) -> [UInt8],
    write: ([(id: Int64, sealed: [UInt8])]) throws(DatabaseError) -> Void
  ) throws(DocketError) -> Int {
    var last: Int64 = 0
    var count = 0
    while true {
      let batch = try transaction { () throws(DocketError) in
        let rows = try store { try read(last) }
        guard let final = rows.last else { return 0 }
        let sealer = try sealer()
        var rewritten: [(id: Int64, sealed: [UInt8])] = []
        for row in rows { rewritten.append((id(row), try reseal(row, sealer))) }
        try store { try write(rewritten) }
        last = id(final)
        return rows.count
      }
      guard batch > 0 else { return count }
      count += batch
      advanced(batch)
    }
  }
}
