import DocketCore
import DocketMail
import DocketStore
import Foundation

/// The office's rules for mail: how large a message may be, and which kind a message is given.
struct EmailRules {
  var sizeLimit: Int
  /// The kind of a message no rule classifies; the registrar screens it (`kind_to_screen`).
  var defaultKind: Kind
  /// Addresses whose mail is a suggestion on the rectification (the mailbox the seed publishes).
  var suggestionAddresses: Set<String>

  /// The kind, and the rule that gave it (nil: the default, for a registrar to screen).
  func kind(for message: MailMessage) -> (kind: Kind, byRule: String?) {
    // The same words that, on an envelope, mark a suggestion on the inspection's rectification.
    if let subject = message.subject, subject.contains("巡视整改"), subject.contains("意见建议") {
      return (.suggestion, "subject")
    }
    if (message.to + message.cc).contains(where: { suggestionAddresses.contains($0.address.lowercased()) }) {
      return (.suggestion, "address")
    }
    return (defaultKind, nil)
  }
}

extension Docket {
  func emailRules() throws(DocketError) -> EmailRules {
    let settings = try store { try SettingsRepository(db).all() }
    return try Self.emailRules(settings)
  }

  static func emailRules(_ settings: [String: String]) throws(DocketError) -> EmailRules {
    let megabytes = settings["email_size_limit_mb"].flatMap(Int.init) ?? 25
    let kind: Kind
    do {
      kind = try Kind.parsing(settings["email_default_kind"] ?? "petition", field: "email_default_kind")
    } catch {
      throw .from(error)
    }
    let addresses = (settings["email_suggestion_addresses"] ?? "").split(whereSeparator: {
      $0 == "," || $0 == " "
    })
    .map { $0.lowercased() }
    return EmailRules(
      sizeLimit: megabytes * 1024 * 1024, defaultKind: kind, suggestionAddresses: Set(addresses))
  }
}
