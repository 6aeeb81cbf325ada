import DocketCore
import DocketStore
import Foundation

/// One item to register, checked, numbered and given its id; its identity not yet sealed.
struct ItemDraft: Sendable {
  var item: NewItem
  var id: Int64
  var identity: ReporterIdentity
}

/// Turns drafts into everything written for them, with no database: the reporter's own values taken
/// out of the subject and summary (``Redactor``) and sealed with the identity, the rows of
/// every table, the `registered` events (chained on only under the journal's lock), and what the
/// items add to the report rollup. The same for a phone call's one item and for a chunk of a
/// handover list, which runs it on a second thread.
struct RegistrationBuilder: Sendable {
  /// What a registration writes, in this order: rows, then events, then the rollup.
  struct Prepared: Sendable {
    var rows: NewItemRows
    var events: [JournalRepository.NewEvent]
    var rollup: [RollupKey: Int]
    /// The count of policy and calendar changes the clocks were worked out at.
    var generation: String
  }

  let actor: Staff
  /// The administrator entering the work in `actor`'s name, if one is.
  let enteredBy: String?
  /// Nil when no draft names a reporter.
  let sealer: Sealer?
  let engine: ClockEngine
  /// The count of policy and calendar changes `engine` was read at.
  let generation: String
  let time: OfficeTime

  /// `batchID`: the handover batch the drafts come in, recorded on the items and their events.
  func prepare(_ drafts: [ItemDraft], batchID: Int64? = nil) throws(DocketError) -> Prepared {
    let batch = batchID.map(String.init)
    var items: [NewItem] = []
    items.reserveCapacity(drafts.count)
    for draft in drafts {
      var item = draft.item
      if let sealer, !draft.identity.isEmpty {
        // The reporter's own values out of the text stored in plain; the wording as it was goes
        // into the seal with them.
        let redactor = Redactor(draft.identity)
        var identity = draft.identity
        var wording: [String: String] = [:]
        let subject = redactor.redact(item.subject)
        if subject.changed { (wording["subject"], item.subject) = (item.subject, subject.text) }
        let summary = redactor.redact(item.summary)
        if summary.changed { (wording["summary"], item.summary) = (item.summary, summary.text) }
        if !wording.isEmpty { identity.originalWording = wording }
        item.reporterSealed = try sealer.seal(identity, ref: item.ref)
        item.reporterMatch = sealer.matching.matchHashes(draft.identity)
      }
      items.append(item)
    }
    let events = zip(items, drafts).map { item, draft in
      let registered = JournalEvent.registered(
        .init(
          ref: item.ref, kind: item.kind, source: item.source, channel: item.channel, category: item.category,
          reporter: item.reporterKind, receivedAt: item.receivedAt,
          accusedCount: item.accused.isEmpty ? nil : item.accused.count, batch: batch))
      return JournalRepository.NewEvent(
        itemID: draft.id, actor: actor.login, event: registered.name, effectiveAt: item.receivedAt,
        payload: registered.payload(enteredBy: enteredBy))
    }
    var worked: [ClockRepository.Worked] = []
    worked.reserveCapacity(items.count)
    var rollup: [RollupKey: Int] = [:]
    for (item, draft) in zip(items, drafts) {
      let subject = ClockSubject(
        kind: item.kind, source: item.source, reporterKind: item.reporterKind, receivedAt: item.receivedAt)
      // A new item's only event is its registration, which the clocks read as its receipt.
      let done = Docket.work(draft.id, subject, [], engine: engine, units: [:])
      worked.append(done)
      // A new item had nothing in the rollup: all of its contribution is new.
      let report = ReportItem(
        receivedAt: item.receivedAt, kind: item.kind, source: item.source, channel: item.channel,
        category: item.category, periods: done.periods)
      rollup.merge(report.rollup(in: time), uniquingKeysWith: +)
    }
    return Prepared(
      rows: NewItemRows(items, ids: drafts.map(\.id), batchID: batchID, worked: worked), events: events,
      rollup: rollup, generation: generation)
  }
}

extension Docket {
  /// A builder for drafts registered by `actor`; an envelope is made only when `sealing`.
  func registrationBuilder(actor: Staff, sealing: Bool) throws(DocketError) -> RegistrationBuilder {
    let (engine, generation) = try clockEngineAndGeneration()
    return RegistrationBuilder(
      actor: actor, enteredBy: enteredBy(actor.login), sealer: sealing ? try sealer() : nil, engine: engine,
      generation: generation, time: office.time)
  }

  /// The events and rollup of registrations whose rows are written (a batch writes its rows a
  /// chunk at a time, then these once). The journal's head is locked here, when only chaining and
  /// sending the events remain, and stays locked to the commit. The rollup goes in the statement
  /// that moves the head, as every event's refresh sends it after the head, so that rollup rows
  /// are always locked after the head, never before.
  ///
  /// The clocks were worked out before the head was locked. A change of policy or calendar journals
  /// too, so once the head is held none can commit; one that committed meanwhile is caught here, and
  /// nothing is written rather than items with deadlines under the old rules.
  func appendRegistered(
    _ events: [JournalRepository.NewEvent], rollup: [RollupKey: Int], workedAt generation: String
  ) throws(DocketError) {
    let written = try store {
      try JournalRepository(db).append(
        events, ifClockGeneration: generation,
        alongside: ReportRepository.statements(applying: rollup, parametersAfter: 2))
    }
    guard written != nil else {
      throw .temporary(
        "The deadline policy or the working-day calendar changed while this was being registered, so nothing was written; enter it again."
      )
    }
  }
}
