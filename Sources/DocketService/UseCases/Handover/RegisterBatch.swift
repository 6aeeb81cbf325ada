import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// Registers checked rows as the items of batch `batchID`, inside the caller's transaction, as
  /// any registration is (``RegistrationBuilder``): reference numbers reserved per year and kind in
  /// row order, identities sealed, items, accused, clocks and report periods written by COPY, then
  /// one `registered` event each. Returns the references in row order.
  ///
  /// A chunk of rows at a time, so that what a batch adds to its rows in memory stays the size of
  /// a few chunks however long the list; each chunk is prepared on a second thread while the one
  /// before it is written (``Pipeline``). The events are chained on and written once every row is
  /// in, so that the journal's head is locked for that alone.
  func registerBatch(_ rows: [HandoverRow], batchID: Int64, actor: Staff) throws(DocketError) -> [String] {
    let registration = RegistrationRepository(db)
    let refs = try reserveReferences(for: rows)
    let builder = try registrationBuilder(actor: actor, sealing: rows.contains { !$0.identity.isEmpty })
    let units = try unitIDs()
    let batch = String(batchID)
    var events: [JournalRepository.NewEvent] = []
    events.reserveCapacity(rows.count)
    var rollup: [RollupKey: Int] = [:]
    let pipeline = Pipeline(state: ()) { (_, chunk: (range: Range<Int>, ids: [Int64])) throws(DocketError) in
      let drafts = zip(chunk.range, chunk.ids).map { index, id in
        let (row, ref) = (rows[index], refs[index])
        return ItemDraft(
          item: NewItem(
            ref: ref, kind: row.kind, source: row.source, channel: .handover, subject: row.subject,
            summary: row.summary, category: row.category, reporterKind: row.identity.kind,
            reporterSealed: nil, reporterMatch: [], receivedAt: row.receivedAt,
            channelDetails: CanonicalJSON.object(
              ["batch": batch, "list_number": row.number, "note": row.note] as KeyValuePairs),
            registeredBy: actor.id,
            accused: row.accused.map {
              Accused(name: $0.name, unitID: $0.unit.flatMap { units[$0] }, unitName: $0.unit, rank: $0.rank)
            }),
          id: id, identity: row.identity)
      }
      return try builder.prepare(drafts, batchID: batchID)
    }
    func write(_ prepared: RegistrationBuilder.Prepared) throws(DocketError) {
      try store { try registration.write(prepared.rows) }
      events += prepared.events
      rollup.merge(prepared.rollup, uniquingKeysWith: +)
      advance("import", "rows", done: events.count, total: rows.count)
    }
    for start in stride(from: 0, to: rows.count, by: Self.batchChunk) {
      let range = start..<min(start + Self.batchChunk, rows.count)
      let ids = try store { try registration.reserveItemIDs(range.count) }
      if let prepared = try pipeline.submit((range, ids)) { try write(prepared) }
    }
    while let prepared = try pipeline.next() { try write(prepared) }
    try appendRegistered(events, rollup: rollup, workedAt: builder.generation)
    advance("import", "rows", done: rows.count, total: rows.count, finished: true)
    return refs
  }

  static let batchChunk = 5_000

  /// Reference numbers for `rows` in order, reserved per year and kind under the counters' row
  /// locks (in a fixed order, so that two batches cannot deadlock).
  private func reserveReferences(for rows: [HandoverRow]) throws(DocketError) -> [String] {
    struct Counter: Hashable {
      var year: Int
      var kind: Kind
    }
    let registration = RegistrationRepository(db)
    let counters = rows.map { Counter(year: office.time.year(of: $0.receivedAt), kind: $0.kind) }
    var next: [Counter: Int] = [:]
    for (counter, count) in Dictionary(counters.map { ($0, 1) }, uniquingKeysWith: +).sorted(by: {
      ($0.key.year, $0.key.kind.rawValue) < ($1.key.year, $1.key.kind.rawValue)
    }) {
      next[counter] = try store {
        try registration.reserveSequences(year: counter.year, kind: counter.kind, count: count)
      }
    }
    return counters.map { counter in
      let sequence = next[counter]!
      next[counter] = sequence + 1
      return office.referencePattern.format(year: counter.year, kind: counter.kind, sequence: sequence)
    }
  }
}
