import DocketService
import Foundation

/// An item as JSON: the reporter only as `real_name` or `anonymous`.
func itemJSON(_ item: Item) -> JSONValue {
  .object([
    (
      "accused",
      .array(
        item.accused.map {
          .object([("name", .string($0.name)), ("unit", .text($0.unitName)), ("rank", .text($0.rank))])
        })
    ),
    ("category", .text(item.category)),
    ("channel", .string(item.channel.rawValue)),
    ("channel_details", .object(item.channelDetails.map { ($0.key, .string($0.value)) })),
    ("disposal", .text(item.disposal?.rawValue)),
    ("disposal_approved", .bool(item.disposalApproved)),
    ("duplicate_of", .text(item.duplicateOfRef)),
    ("false_accusation", .bool(item.falseAccusation)),
    ("finding", .text(item.finding?.rawValue)),
    ("forwarded_to", .text(item.forwardedTo)),
    ("handler", .text(item.handlerLogin)),
    ("hold_until", .text(item.holdUntil)),
    ("kind", .string(item.kind.rawValue)),
    ("last_event_at", .time(item.lastEventAt)),
    ("received_at", .time(item.receivedAt)),
    ("ref", .string(item.ref)),
    ("registered_by", .string(item.registeredBy)),
    ("reporter", .string(item.reporterKind.rawValue)),
    ("source", .string(item.source.rawValue)),
    ("state", .string(item.state.rawValue)),
    ("state_since", .time(item.stateSince)),
    ("subject", .string(item.subject)),
    ("summary", .string(item.summary)),
    ("unit", .text(item.unitName)),
    ("version", .number(Int64(item.version))),
  ])
}

/// What a journal event says, as the typed event reads it, with who entered it in the actor's name.
func eventDetails(_ entry: JournalEntry) -> [String: String] {
  let (event, enteredBy) = entry.decoded
  var details = event.fields.compactMapValues { $0 }
  if let enteredBy { details["entered_by"] = enteredBy }
  return details
}

/// A journal event as JSON; the payload is included as the object it is.
func eventJSON(_ entry: JournalEntry) -> JSONValue {
  let details = eventDetails(entry)
  return .object([
    ("seq", .number(entry.seq)),
    ("ref", .text(entry.itemRef)),
    ("actor", .string(entry.actor)),
    ("event", .string(entry.event)),
    ("effective_at", .time(entry.effectiveAt)),
    ("recorded_at", .time(entry.recordedAt)),
    ("details", .object(details.map { ($0.key, .string($0.value)) })),
    ("hash", .string(entry.hash.hex)),
  ])
}

/// A deadline clock as JSON: `due` is a day in the office, `provisional` true when it was counted
/// over a year whose holiday schedule is not yet published.
func clockJSON(_ clock: ItemClock) -> JSONValue {
  .object([
    ("clock", .string(clock.clock.rawValue)), ("due", .string(clock.due.description)),
    ("provisional", .bool(clock.provisional)), ("started_at", .time(clock.startedAt)),
    ("stopped_at", .time(clock.stoppedAt)), ("warning", .string(clock.warning.rawValue)),
  ])
}
