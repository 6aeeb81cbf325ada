import DocketCore
import DocketStore
import Foundation

/// Turns a chunk of a batch's checked rows into what is written for them, with no database: items
/// with sealed identities, their `registered` events chained on, their clock facts and report
/// periods, and what they add to the report rollup. Runs on the batch's second thread.
struct BatchChunkPreparer: Sendable {
  /// Which rows, under which item ids (reserved in the transaction).
  struct Chunk: Sendable {
    var range: Range<Int>
    var ids: [Int64]
  }

  /// A chunk ready to write, in this order: items, journal, clocks.
  struct Prepared: Sendable {
    var items: HandoverRepository.ItemRows
    var journal: CopyRows
    var clocks: ClockRepository.NewRows
    var rollup: [RollupKey: Int]
    /// The journal's chain after this chunk's events.
    var chain: JournalChain
  }

  let rows: [HandoverRow]
  let refs: [String]
  let batchID: Int64
  let actor: Staff
  let enteredBy: String?
  let vault: IdentityVault?
  let units: [String: Int]
  let engine: ClockEngine
  let time: OfficeTime

  func prepare(_ chunk: Chunk, chain: inout JournalChain) throws(DocketError) -> Prepared {
    let batch = String(batchID)
    var items: [NewItem] = []
    items.reserveCapacity(chunk.range.count)
    for index in chunk.range {
      let (row, ref) = (rows[index], refs[index])
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
          reporterSealed: sealed, reporterMatch: match, receivedAt: row.receivedAt,
          channelDetails: Docket.flatJSON(["batch": batch, "list_number": row.number, "note": row.note]),
          registeredBy: actor.id,
          accused: row.accused.map {
            Accused(name: $0.name, unitID: $0.unit.flatMap { units[$0] }, unitName: $0.unit, rank: $0.rank)
          }))
    }
    // The same event, payload for payload, as registering one item writes.
    let journal = chain.rows(
      zip(items, chunk.ids).lazy.map { item, id in
        JournalRepository.NewEvent(
          itemID: id, actor: actor.login, event: "registered", effectiveAt: item.receivedAt,
          payload: Docket.flatJSON([
            "accused_count": item.accused.isEmpty ? nil : String(item.accused.count), "batch": batch,
            "category": item.category, "channel": item.channel.rawValue, "entered_by": enteredBy,
            "kind": item.kind.rawValue, "received_at": item.receivedAt.rfc3339, "ref": item.ref,
            "reporter": item.reporterKind.rawValue, "source": item.source.rawValue,
          ]))
      })
    var worked: [ClockRepository.Worked] = []
    worked.reserveCapacity(items.count)
    var rollup: [RollupKey: Int] = [:]
    for (item, id) in zip(items, chunk.ids) {
      let subject = ClockSubject(
        kind: item.kind, source: item.source, reporterKind: item.reporterKind, receivedAt: item.receivedAt)
      let done = Docket.work(id, subject, [], engine: engine, units: units)
      worked.append(done)
      // A new item had nothing in the rollup: all of its contribution is new.
      let report = ReportItem(
        receivedAt: item.receivedAt, kind: item.kind, source: item.source, channel: item.channel,
        category: item.category, periods: done.periods)
      rollup.merge(report.rollup(in: time), uniquingKeysWith: +)
    }
    return Prepared(
      items: HandoverRepository.ItemRows(items, ids: chunk.ids, batchID: batchID), journal: journal,
      clocks: ClockRepository.NewRows(worked), rollup: rollup, chain: chain)
  }
}
