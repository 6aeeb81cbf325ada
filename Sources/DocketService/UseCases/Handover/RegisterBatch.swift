import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// Registers checked rows as the items of batch `batchID`, inside the caller's transaction:
  /// reference numbers reserved per year and kind in row order, identities sealed, items and their
  /// accused written by COPY, one `registered` event each, then their clocks and report periods.
  /// Returns the references in row order.
  func registerBatch(_ rows: [HandoverRow], batchID: Int64, actor: Staff) throws(DocketError) -> [String] {
    let handover = HandoverRepository(db)
    struct Counter: Hashable {
      var year: Int
      var kind: Kind
    }
    let counters = rows.map { Counter(year: office.time.year(of: $0.receivedAt), kind: $0.kind) }
    var next: [Counter: Int] = [:]
    for (counter, count) in Dictionary(counters.map { ($0, 1) }, uniquingKeysWith: +).sorted(by: {
      ($0.key.year, $0.key.kind.rawValue) < ($1.key.year, $1.key.kind.rawValue)
    }) {
      next[counter] = try store {
        try handover.reserveSequences(year: counter.year, kind: counter.kind, count: count)
      }
    }
    let vault = rows.contains { !$0.identity.isEmpty } ? try vault() : nil
    let units = try unitIDs()
    let engine = try clockEngine()
    let batch = String(batchID)
    var refs: [String] = []
    refs.reserveCapacity(rows.count)
    // A chunk at a time, so that what a batch adds to its rows in memory (items, sealed
    // identities, clock facts) stays the size of one chunk however long the list.
    for start in stride(from: 0, to: rows.count, by: Self.batchChunk) {
      let chunk = start..<min(start + Self.batchChunk, rows.count)
      var items: [NewItem] = []
      items.reserveCapacity(chunk.count)
      for index in chunk {
        let (row, counter) = (rows[index], counters[index])
        let sequence = next[counter]!
        next[counter] = sequence + 1
        let ref = office.referencePattern.format(year: counter.year, kind: counter.kind, sequence: sequence)
        var sealed: [UInt8]?
        var match: [[UInt8]] = []
        if let vault, !row.identity.isEmpty {
          sealed = try vault.seal(row.identity, ref: ref)
          match = vault.matchHashes(row.identity)
        }
        items.append(
          NewItem(
            ref: ref, kind: row.kind, source: row.source, channel: .handover, subject: row.subject,
            summary: row.summary, category: row.category, reporterKind: row.identity.kind,
            reporterSealed: sealed,
            reporterMatch: match, receivedAt: row.receivedAt,
            channelDetails: Self.flatJSON(["batch": batch, "list_number": row.number, "note": row.note]),
            registeredBy: actor.id,
            accused: row.accused.map {
              Accused(name: $0.name, unitID: $0.unit.flatMap { units[$0] }, unitName: $0.unit, rank: $0.rank)
            }))
      }
      let ids = try store { try handover.copyItems(items, batchID: batchID) }
      let enteredBy = enteredBy(actor.login)
      // The same event, payload for payload, as registering one item writes; built as it is copied.
      try store {
        try JournalRepository(db).appendAll(
          items.lazy.map { item in
            JournalRepository.NewEvent(
              itemID: ids[item.ref], actor: actor.login, event: "registered", effectiveAt: item.receivedAt,
              payload: Self.flatJSON([
                "ref": item.ref, "kind": item.kind.rawValue, "source": item.source.rawValue,
                "channel": item.channel.rawValue, "category": item.category,
                "reporter": item.reporterKind.rawValue, "received_at": item.receivedAt.rfc3339,
                "accused_count": item.accused.isEmpty ? nil : String(item.accused.count), "batch": batch,
                "entered_by": enteredBy,
              ]))
          })
      }
      let worked = items.map { item in
        work(
          ids[item.ref]!,
          ClockSubject(
            kind: item.kind, source: item.source, reporterKind: item.reporterKind, receivedAt: item.receivedAt
          ),
          [], engine: engine, units: units)
      }
      let fresh = items.map { item in
        (
          ids[item.ref]!,
          ReportItem(
            receivedAt: item.receivedAt, kind: item.kind, source: item.source, channel: item.channel,
            category: item.category, periods: [])
        )
      }
      try storeWorked(worked, newItems: Dictionary(fresh) { a, _ in a })
      refs += items.map(\.ref)
    }
    return refs
  }

  static let batchChunk = 10_000

  /// A flat map of strings as ``canonicalJSON(_:)`` writes it (sorted keys, slashes and non-ASCII
  /// as they are), nil values left out; written by hand because a batch writes it hundreds of
  /// thousands of times.
  static func flatJSON(_ fields: [String: String?]) -> String {
    var out = "{"
    var first = true
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
      guard let value else { continue }
      if !first { out += "," }
      first = false
      quote(key, into: &out)
      out += ":"
      quote(value, into: &out)
    }
    return out + "}"
  }

  private static func quote(_ text: String, into out: inout String) {
    out += "\""
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      out += text
      out += "\""
      return
    }
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\u{00}"..."\u{1F}": out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}
