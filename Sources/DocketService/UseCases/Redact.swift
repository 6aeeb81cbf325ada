import DocketCore
import DocketStore
import Foundation

/// What `docket redact` hid: which texts changed. Never the value.
public struct RedactionResult: Sendable {
  /// `subject`, `summary`, `email N` (the message's number among the item's emails, from 1).
  public var fields: [String]
}

extension Docket {
  /// Hides a value a registrar found in an item's plain texts after registration — someone's name,
  /// a phone number, an email address, an ID number — in its subject, summary and emails' texts,
  /// written in any of the forms intake's redaction recognises. The wording before is sealed to the
  /// office key; the journal says which texts changed and why, never the value.
  public func redact(_ ref: String, value: String, reason: String, actor login: String?) throws(DocketError)
    -> RedactionResult
  {
    let actor = try actor(login)
    try require(actor, .register, "redact an item's texts")
    let reason = try required(reason, "a reason (--reason)")
    let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
    guard value.count >= 2 else {
      throw .invalid("Give the value to hide (at least two characters) with --value or --value-from.")
    }
    let redactor = Redactor(Self.identity(hiding: value))
    return try transaction { () throws(DocketError) in
      guard let item = try store({ try ItemRepository(db).withRef(ref) }) else {
        throw .notFound("item \(ref)")
      }
      try requireSees(item, actor)
      let repository = RedactionRepository(db)
      let mail = try store { try repository.mailTexts(itemID: item.id) }
      var fields: [String] = []
      var before: [String: String] = [:]
      let subject = redactor.redact(item.subject)
      if subject.changed { (fields, before["subject"]) = (fields + ["subject"], item.subject) }
      let summary = redactor.redact(item.summary)
      if summary.changed { (fields, before["summary"]) = (fields + ["summary"], item.summary) }
      var texts: [(id: Int64, text: String)] = []
      for (index, message) in mail.enumerated() {
        let text = redactor.redact(message.text)
        guard text.changed else { continue }
        fields.append("email \(index + 1)")
        before["email \(index + 1)"] = message.text
        texts.append((message.id, text.text))
      }
      guard !fields.isEmpty else {
        throw .refused(
          "\(ref)'s subject, summary and email texts do not contain that value; nothing was changed.")
      }
      let sealed: [UInt8]
      do {
        sealed = try sealer().envelope.seal(
          Array(try JSONEncoder().encode(before)), context: "docket-redaction-v1|\(item.ref)")
      } catch let error as SealingError {
        throw .sealing(error)
      } catch let error as DocketError {
        throw error
      } catch {
        throw .sealing(.failed("\(error)"))
      }
      let at = now()
      guard
        try store({
          try repository.apply(
            itemID: item.id, expectedVersion: item.version, subject: subject.text, summary: summary.text,
            mail: texts,
            sealed: sealed, by: actor.login, at: at)
        })
      else { throw .changedMeanwhile(ref: ref) }
      // The hidden value must not stay findable: the search document is made again from the texts.
      try reindexItems([item.id])
      try journal(
        item: item.id, actor: actor.login, .redacted(fields: fields.joined(separator: ","), reason: reason),
        at: at)
      return RedactionResult(fields: fields)
    }
  }

  /// The value as the identity field it looks like, so that it is matched in every form intake's
  /// redaction knows: an email address, a phone number, an ID number, else a name or a phrase.
  static func identity(hiding value: String) -> ReporterIdentity {
    if value.contains("@") { return ReporterIdentity(email: value) }
    let digits = value.filter { $0.isNumber }
    if digits.count == value.filter({ !" -+()（）".contains($0) }).count {
      if digits.count == 18 || (digits.count == 17 && value.last.map { "xX".contains($0) } == true) {
        return ReporterIdentity(idNumber: value)
      }
      if digits.count >= 7 { return ReporterIdentity(phone: value) }
    }
    return ReporterIdentity(name: value)
  }
}
