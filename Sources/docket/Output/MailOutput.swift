import DocketService
import Foundation

/// The fields the design names for `--dry-run --json`, and no others.
func mailJSON(_ message: MailPreview) -> JSONValue {
  func address(_ address: MailPreview.Address) -> JSONValue {
    .object([("name", .text(address.name)), ("address", .string(address.address))])
  }
  return .object([
    ("message_id", .text(message.messageID)),
    ("from", message.from.map(address) ?? .null),
    ("to", .array(message.to.map(address))),
    ("subject", .text(message.subject)),
    ("date", .time(message.date)),
    ("in_reply_to", .text(message.inReplyTo)),
    ("references", .array(message.references.map(JSONValue.string))),
    ("text", .string(message.text)),
    (
      "attachments",
      .array(
        message.attachments.map {
          .object([
            ("filename", .text($0.filename)), ("content_type", .string($0.contentType)),
            ("size", .number(Int64($0.size))), ("sha256", .string($0.sha256)),
          ])
        })
    ),
    ("warnings", .array(message.warnings.map(JSONValue.string))),
  ])
}

func mailSummary(_ message: MailPreview, origin: String) -> String {
  var lines = ["\(origin):"]
  lines.append("  Message-ID: \(message.messageID ?? "(none)")")
  lines.append("  Subject:    \(message.subject ?? "(none)")")
  lines.append("  Date:       \(message.date?.rfc3339 ?? "(none)")")
  if let reply = message.inReplyTo { lines.append("  In reply to: \(reply)") }
  lines.append("  Text:       \(message.text.count) characters")
  for attachment in message.attachments {
    lines.append(
      "  Attachment: \(attachment.filename ?? "(unnamed)") \(attachment.contentType), \(attachment.size) bytes"
    )
  }
  for warning in message.warnings { lines.append("  Warning:    \(warning)") }
  return lines.joined(separator: "\n") + "\n"
}

func outcomeLine(_ result: EmailIntakeResult, origin: String) -> String {
  let what =
    switch result.outcome {
    case .registered(let ref): "\(ref)  registered"
    case .reply(let ref): "\(ref)  reply added to its journal"
    case .known(let ref): "\(ref)  already taken in; nothing created"
    case .quarantined(let id, let reason, _, let again):
      "quarantine #\(id)  \(reason)\(again ? " (held already)" : "")"
    }
  let warnings = result.warnings.isEmpty ? "" : "  (\(result.warnings.count) warning(s))"
  return "\(what)  [\(origin)]\(warnings)\n"
}

func outcomeJSON(_ result: EmailIntakeResult, origin: String) -> JSONValue {
  var fields: [(String, JSONValue)] = [("origin", .string(origin))]
  switch result.outcome {
  case .registered(let ref): fields += [("outcome", .string("registered")), ("ref", .string(ref))]
  case .reply(let ref): fields += [("outcome", .string("reply")), ("ref", .string(ref))]
  case .known(let ref): fields += [("outcome", .string("known")), ("ref", .string(ref))]
  case .quarantined(let id, let reason, let notMail, let again):
    fields += [
      ("outcome", .string("quarantined")), ("quarantine_id", .number(id)), ("reason", .string(reason)),
      ("not_mail", .bool(notMail)), ("held_already", .bool(again)),
    ]
  }
  fields.append(("warnings", .array(result.warnings.map { .string($0.description) })))
  return .object(fields)
}
