import Crypto
import DocketCore
import DocketStore
import Foundation

/// A file brought with an item at intake (`--attach`): a letter's scans, a visitor's papers, a
/// call's recording. Its type is sniffed from the bytes; its name is redacted like the text.
public struct IntakeAttachment: Sendable {
  public var filename: String
  public var bytes: [UInt8]

  public init(filename: String, bytes: [UInt8]) {
    self.filename = filename
    self.bytes = bytes
  }
}

/// An attachment's bytes, opened for someone allowed them.
public struct AttachmentContent: Sendable {
  public var entry: AttachmentEntry
  public var bytes: [UInt8]
}

extension Docket {
  /// Refuses files over the office's size limit for email (`email_size_limit_mb`), before anything
  /// is written, naming the file.
  func checkAttachments(_ files: [IntakeAttachment]) throws(DocketError) {
    guard !files.isEmpty else { return }
    let limit = try emailRules().sizeLimit
    for file in files where file.bytes.count > limit {
      throw .invalid(
        "The attachment \(file.filename) is \(file.bytes.count / (1 << 20)) MB, over the limit of \(limit / (1 << 20)) MB (email_size_limit_mb); scan it smaller or raise the limit with 'docket config set email_size_limit_mb N'."
      )
    }
  }

  /// Seals and stores an intake's files for the new item, inside its transaction.
  func storeAttachments(_ files: [IntakeAttachment], itemID: Int64, identity: ReporterIdentity, at: Date)
    throws(DocketError)
  {
    guard !files.isEmpty else { return }
    let sealer = try sealer()
    let redactor = Redactor(identity)
    let store = AttachmentRepository(db)
    var rows: [(filename: String?, contentType: String, sha256: [UInt8])] = []
    for file in files {
      let sha256 = Array(SHA256.hash(data: file.bytes))
      let sealed = try sealer.seal(attachment: file.bytes, sha256: sha256)
      try self.store { try store.store(sha256: sha256, size: file.bytes.count, sealed: sealed) }
      let name = redactor.redact((file.filename as NSString).lastPathComponent).text
      rows.append((name.isEmpty ? nil : name, FileType.sniff(file.bytes), sha256))
    }
    try self.store { try store.addToItem(itemID, files: rows, at: at) }
  }

  /// An item's attachments as handlers see them: name (redacted), type, size, and whether released.
  public func attachments(_ ref: String, actor login: String?) throws(DocketError) -> [AttachmentEntry] {
    let actor = try actor(login)
    try require(actor, .readLedger, "see attachments")
    let item = try visibleItem(ref, actor)
    return try store { try AttachmentRepository(db).list(itemID: item.id) }
  }

  /// A custodian's act: opens attachment `number` of `ref` and keeps a plain copy readable by those
  /// who see the item (its unit's handlers among them), journaled with the reason and who was present.
  public func releaseAttachment(
    _ ref: String, number: Int, reason: String, custodians given: [CustodianPassphrase], actor login: String?
  ) throws(DocketError) -> AttachmentEntry {
    let actor = try actor(login)
    let item = try store { try ItemRepository(db).withRef(ref) }
    try requireCustodianAct(actor, given, act: "release attachment", item: item?.id)
    let reason = try required(reason, "a reason (--reason)")
    guard let item else { throw .notFound("item \(ref)") }
    let entry = try attachment(item, number)
    guard entry.releasedAt == nil else {
      throw .refused("Attachment \(number) of \(ref) was released already, by \(entry.releasedBy ?? "?").")
    }
    let unlocked = try unlockCustodians(given, act: "release attachment", item: item.id, actor: actor)
    return try transaction { () throws(DocketError) in
      let bytes = try openStored(entry, with: Unsealer(self, unlocked))
      let at = now()
      try store {
        try AttachmentRepository(db).release(
          itemID: item.id, sha256: entry.sha256, by: actor.login, at: at, content: bytes)
      }
      try clearFailures(unlocked)
      try journal(
        item: item.id, actor: actor.login,
        .attachmentReleased(attachment: number, reason: reason, with: Self.others(given, actor)), at: at)
      var released = entry
      (released.releasedAt, released.releasedBy) = (at, actor.login)
      return released
    }
  }

  /// The bytes of attachment `number` of `ref`: its released copy, for whoever sees the item; an
  /// unreleased one only for a custodian in person, with their passphrase and a reason, journaled.
  public func attachmentContent(
    _ ref: String, number: Int, reason: String? = nil, custodians given: [CustodianPassphrase] = [],
    actor login: String?
  ) throws(DocketError) -> AttachmentContent {
    let actor = try actor(login)
    try require(actor, .readLedger, "see attachments")
    let item = try visibleItem(ref, actor)
    let entry = try attachment(item, number)
    if let copy = try store({ try AttachmentRepository(db).released(itemID: item.id, sha256: entry.sha256) })
    {
      return AttachmentContent(entry: entry, bytes: copy)
    }
    guard !given.isEmpty else {
      throw .refused(
        "Attachment \(number) of \(ref) is sealed and has not been released; a custodian releases it with 'docket attachment release \(ref) \(number) --reason …'."
      )
    }
    try requireCustodianAct(actor, given, act: "open attachment", item: item.id)
    let reason = try required(reason ?? "", "a reason (--reason)")
    let unlocked = try unlockCustodians(given, act: "open attachment", item: item.id, actor: actor)
    return try transaction { () throws(DocketError) in
      let bytes = try openStored(entry, with: Unsealer(self, unlocked))
      try clearFailures(unlocked)
      try journal(
        item: item.id, actor: actor.login,
        .attachmentOpened(attachment: number, reason: reason, with: Self.others(given, actor)), at: now())
      return AttachmentContent(entry: entry, bytes: bytes)
    }
  }

  /// Seals the attachments stored in plain bytes before attachments were sealed (`db migrate`), a
  /// batch per transaction, each journaled. Needs the office's public key only.
  public func sealPlainAttachments() throws(DocketError) -> Int {
    let store = AttachmentRepository(db)
    let total = try self.store { try store.plainCount() }
    guard total > 0 else { return 0 }
    var after: [UInt8] = []
    var done = 0
    while true {
      let batch = try transaction { () throws(DocketError) in
        let rows = try self.store { try store.plain(after: after, limit: 500) }
        guard let last = rows.last else { return 0 }
        let sealer = try sealer()
        var sealed: [(sha256: [UInt8], sealed: [UInt8])] = []
        for row in rows {
          sealed.append((row.sha256, try sealer.seal(attachment: row.content, sha256: row.sha256)))
        }
        try self.store { try store.seal(sealed) }
        try journal(item: nil, actor: "system", .attachmentsSealed(count: rows.count), at: now())
        after = last.sha256
        return rows.count
      }
      guard batch > 0 else { return done }
      done += batch
      advance("seal attachments", "attachments", done: done, total: total)
    }
  }

  private func visibleItem(_ ref: String, _ actor: Staff) throws(DocketError) -> Item {
    guard let item = try store({ try ItemRepository(db).withRef(ref) }) else {
      throw .notFound("item \(ref)")
    }
    try requireSees(item, actor)
    return item
  }

  private func attachment(_ item: Item, _ number: Int) throws(DocketError) -> AttachmentEntry {
    let entries = try store { try AttachmentRepository(db).list(itemID: item.id) }
    guard let entry = entries.first(where: { $0.number == number }) else {
      throw .notFound(
        "attachment \(number) of \(item.ref); it has \(entries.count) (list them with 'docket attachment list \(item.ref)')"
      )
    }
    return entry
  }

  private func openStored(_ entry: AttachmentEntry, with unsealer: Unsealer) throws(DocketError) -> [UInt8] {
    guard let stored = try store({ try AttachmentRepository(db).content(sha256: entry.sha256) }) else {
      throw .notFound("the stored bytes of attachment \(entry.number)")
    }
    guard stored.sealed else { return stored.bytes }
    return try unsealer.open(stored.bytes, context: SealedContext.attachment(entry.sha256))
  }
}
