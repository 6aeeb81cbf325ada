import Crypto
import DocketCore
import DocketStore
import Foundation

/// An evidence file for a progress entry, as read from disk by a front end.
public struct EvidenceFile: Sendable {
  public var fileName: String
  public var bytes: [UInt8]

  public init(fileName: String, bytes: [UInt8]) {
    self.fileName = fileName
    self.bytes = bytes
  }
}

/// What a change to a measure did.
public struct MeasureChange: Sendable, Equatable {
  public var ref: String
  public var from: MeasureState
  public var to: MeasureState
  /// For a sign-off: whether the lead leader's approval is still to come.
  public var awaitingApproval = false
}

extension Docket {
  /// 领办: a leader takes personal charge of a measure, as the party secretary did of eight.
  public func claimMeasure(_ ref: String, actor login: String?, _ options: MoveOptions = .init())
    throws(DocketError) -> MeasureChange
  {
    try changeMeasure(ref, login, .leadMeasure, "take charge of a measure", options) {
      measure, actor, at throws(DocketError) in
      guard measure.claimedBy != actor.id else {
        throw .refused("\(actor.login) has taken charge of \(measure.ref) already.")
      }
      return (
        NewMeasureEntry(
          kind: .claimed, effectiveAt: at, actor: actor.login, note: options.note, state: measure.state),
        .claim(actor.id)
      )
    }
  }

  /// A progress entry: what was done, the figure reached (`done`) and evidence files. A handler
  /// writes it for a measure their unit is responsible for; the first entry starts the measure.
  public func recordProgress(
    _ ref: String, note: String, done: Double? = nil, evidence: [EvidenceFile] = [], actor login: String?,
    _ options: MoveOptions = .init()
  ) throws(DocketError) -> MeasureChange {
    let note = try required(note, "a note on the progress (--note)")
    if let done, !(done >= 0) || !done.isFinite { throw .invalid("--done must be a number of 0 or more.") }
    for file in evidence where file.bytes.count > Self.maxEvidenceBytes {
      throw .invalid(
        "\(file.fileName) is \(file.bytes.count / 1_048_576) MiB; evidence files are at most \(Self.maxEvidenceBytes / 1_048_576) MiB each."
      )
    }
    // Hashing happens before the transaction, never with the journal's head held.
    let digests = evidence.map { Array(SHA256.hash(data: $0.bytes)) }
    return try changeMeasure(ref, login, .workMeasure, "record progress on a measure", options) {
      measure, actor, at throws(DocketError) in
      let unit = try workingUnit(measure, actor)
      guard let to = MeasureMove.progress.target(from: measure.state) else {
        throw .refused(
          "\(measure.ref) is \(measure.state.rawValue) (\(measure.state.chinese)); progress is entered while it is planned, in progress or reopened. Reopen it first with 'docket rectify reopen'."
        )
      }
      return (
        NewMeasureEntry(
          kind: .progress, effectiveAt: at, actor: actor.login, unitID: unit, note: note, done: done,
          state: to),
        .evidence(zip(evidence, digests).map { ($0, $1) })
      )
    }
  }

  /// Completed: the responsible unit says the measure is done; it waits for the rectification
  /// office's sign-off (对账销号) and counts as lagging until then if it is due.
  public func completeMeasure(
    _ ref: String, note: String, actor login: String?, _ options: MoveOptions = .init()
  )
    throws(DocketError) -> MeasureChange
  {
    let note = try required(note, "a note on what was done (--note)")
    return try changeMeasure(ref, login, .workMeasure, "complete a measure", options) {
      measure, actor, at throws(DocketError) in
      let unit = try workingUnit(measure, actor)
      guard let to = MeasureMove.complete.target(from: measure.state) else {
        throw .refused(
          "\(measure.ref) is \(measure.state.rawValue) (\(measure.state.chinese)); a measure is completed from in progress, once its progress is entered."
        )
      }
      return (
        NewMeasureEntry(
          kind: .completed, effectiveAt: at, actor: actor.login, unitID: unit, note: note, state: to),
        .none
      )
    }
  }

  /// 对账销号: the rectification office checks a completed measure against the ledger and records
  /// its sign-off; the lead leader approves it (`approve`), as a leader approves a disposal. The
  /// lead leader recording it with `approve` does both at once.
  public func signOffMeasure(
    _ ref: String, approve: Bool = false, actor login: String?, _ options: MoveOptions = .init()
  ) throws(DocketError) -> MeasureChange {
    try changeMeasure(
      ref, login, approve ? .leadMeasure : .manageRectification,
      approve ? "approve a measure's sign-off" : "sign off a measure", options
    ) { measure, actor, at throws(DocketError) in
      guard measure.state == .completed else {
        throw .refused(
          "\(measure.ref) is \(measure.state.rawValue) (\(measure.state.chinese)); only a completed measure is signed off."
        )
      }
      guard approve else {
        guard measure.signOffBy == nil else {
          throw .refused(
            "\(measure.ref)'s sign-off is recorded and waits for \(measure.leadLogin)'s approval.")
        }
        return (
          NewMeasureEntry(
            kind: .signOffRecorded, effectiveAt: at, actor: actor.login, note: options.note, state: .completed
          ),
          .signOff(actor.id)
        )
      }
      guard measure.leadID == actor.id else {
        throw .forbidden(
          actor: actor.login,
          action: "approve \(measure.ref)'s sign-off; its lead leader \(measure.leadLogin) must")
      }
      guard measure.signOffBy != nil || Permissions.may(actor.roles, .manageRectification) else {
        throw .refused("\(measure.ref) has no sign-off recorded by the rectification office to approve.")
      }
      return (
        NewMeasureEntry(
          kind: .signedOff, effectiveAt: at, actor: actor.login, note: options.note, state: .signedOff),
        .approved
      )
    }
  }

  /// 回头看: a completed or signed-off measure found not done goes back to work.
  public func reopenMeasure(
    _ ref: String, reason: String, actor login: String?, _ options: MoveOptions = .init()
  )
    throws(DocketError) -> MeasureChange
  {
    let reason = try required(reason, "a reason (--reason)")
    return try changeMeasure(ref, login, .manageRectification, "reopen a measure", options) {
      measure, actor, at throws(DocketError) in
      guard let to = MeasureMove.reopen.target(from: measure.state) else {
        throw .refused(
          "\(measure.ref) is \(measure.state.rawValue) (\(measure.state.chinese)); only a completed or signed-off measure is reopened."
        )
      }
      return (
        NewMeasureEntry(kind: .reopened, effectiveAt: at, actor: actor.login, note: reason, state: to),
        .reopen
      )
    }
  }

  /// Ties a measure to case items so that its figure is counted from the ledger at each report's
  /// as-of time, never typed twice; linking again replaces the link.
  public func linkMeasure(
    _ ref: String, to link: MeasureLink, actor login: String?, _ options: MoveOptions = .init()
  )
    throws(DocketError) -> MeasureChange
  {
    try changeMeasure(ref, login, .manageRectification, "link a measure to case items", options) {
      measure, actor, at throws(DocketError) in
      let repository = MeasureWorkRepository(db)
      var ids: [Int64] = []
      switch link {
      case .batch(let batch):
        guard try store({ try repository.batchExists(batch) }) else {
          throw .notFound("handover batch \(batch); 'docket import handover' prints a batch's number")
        }
      case .items(let refs):
        let found = try store { try repository.itemIDs(refs: refs) }
        let missing = refs.filter { found[$0] == nil }
        guard missing.isEmpty else { throw .notFound("item \(missing.joined(separator: ", "))") }
        ids = refs.compactMap { found[$0] }
      case .filter: break
      }
      try store { try repository.link(measure: measure.id, link, itemIDs: ids, at: at) }
      return (
        NewMeasureEntry(
          kind: .linked, effectiveAt: at, actor: actor.login, note: options.note, state: measure.state),
        .link(link)
      )
    }
  }

  /// Evidence files are kept in the database beside their entry; larger ones belong in the
  /// office's document system, referred to in the note.
  static let maxEvidenceBytes = 20 * 1_048_576

  /// What a change does besides its entry.
  enum MeasureSideEffect {
    case none
    case claim(Int)
    case evidence([(EvidenceFile, [UInt8])])
    case signOff(Int)
    case approved
    case reopen
    case link(MeasureLink)
  }

  /// One change to a measure: permission, the measure locked, the effective time checked, the
  /// entry and the state written, the journal event beside them, in one transaction.
  func changeMeasure(
    _ ref: String, _ login: String?, _ action: Action, _ description: String, _ options: MoveOptions,
    _ decide: (MeasureRecord, Staff, Date) throws(DocketError) -> (NewMeasureEntry, MeasureSideEffect)
  ) throws(DocketError) -> MeasureChange {
    let actor = try actor(login)
    try require(actor, action, description)
    let (round, number) = try Self.measureRef(ref)
    return try transaction { () throws(DocketError) in
      let repository = MeasureWorkRepository(db)
      guard let measure = try store({ try repository.lock(round: round, number: number) }) else {
        throw .notFound("measure \(ref); 'docket rectify list' lists the measures you may see")
      }
      if let expected = options.expectedVersion, expected != measure.version {
        throw .changedMeanwhile(ref: measure.ref)
      }
      let at = try effectiveTime(options, measure: measure, now: now())
      let (entry, effect) = try decide(measure, actor, at)
      var claimedBy: Int?
      var signOffBy: Int??
      var record = JournalEvent.MeasureRecord(
        measure: measure.ref, measureID: measure.id, from: measure.state, to: entry.state, note: entry.note)
      switch effect {
      case .claim(let id): claimedBy = id
      case .signOff(let id): signOffBy = .some(id)
      case .approved, .reopen: signOffBy = .some(nil)
      case .link(let link): record.link = link.description
      case .none, .evidence: break
      }
      if case .approved = effect { record.approvedBy = actor.login }
      if entry.kind == .reopened {
        record.note = nil
        record.reason = entry.note
      }
      record.done = entry.done
      record.milestone = entry.milestoneOn
      if let unit = entry.unitID {
        record.unit = try store { try UnitRepository(db).all() }.first { $0.id == unit }?.name
      }
      let entryID = try store {
        try repository.record(
          entry, measure: measure, claimedBy: claimedBy, signOffBy: signOffBy, recordedAt: now())
      }
      if case .evidence(let files) = effect {
        for (file, digest) in files {
          try store {
            try repository.addEvidence(
              entry: entryID, measure: measure.id, fileName: file.fileName,
              contentType: FileType.sniff(file.bytes), bytes: file.bytes, sha256: digest)
          }
        }
        record.evidence = files.map { $0.1.hex }
      }
      try journal(item: nil, actor: actor.login, .measure(entry.kind, record), at: at)
      return MeasureChange(
        ref: measure.ref, from: measure.state, to: entry.state,
        awaitingApproval: entry.kind == .signOffRecorded)
    }
  }

  /// The unit a handler works the measure for: theirs, which must be responsible for it. Others
  /// (the rectification office, leaders) write for no unit.
  func workingUnit(_ measure: MeasureRecord, _ actor: Staff) throws(DocketError) -> Int? {
    guard !Permissions.seesAllUnits(actor.roles) else { return nil }
    guard let unit = actor.unitID, measure.unitIDs.contains(unit) else {
      throw .notFound("measure \(measure.ref); 'docket rectify list' lists the measures you may see")
    }
    return unit
  }

  /// A measure's effective time: now, or `--at` no later than now and not before its latest entry.
  func effectiveTime(_ options: MoveOptions, measure: MeasureRecord, now: Date) throws(DocketError) -> Date {
    let at = (options.at ?? max(now, measure.lastEntryAt)).truncatedToMicroseconds
    guard at <= now.addingTimeInterval(300) else {
      throw .invalid("The effective time \(office.time.minuteString(at)) is in the future.")
    }
    guard at >= measure.lastEntryAt else {
      throw .refused(
        "The effective time \(office.time.minuteString(at)) is earlier than \(measure.ref)'s latest entry at \(office.time.minuteString(measure.lastEntryAt)); changes are entered in order."
      )
    }
    return at
  }

  /// `ROUND-NUMBER` as round and number.
  static func measureRef(_ ref: String) throws(DocketError) -> (Int, Int) {
    let parts = ref.split(separator: "-").map { Int($0) }
    guard parts.count == 2, let round = parts[0], let number = parts[1], round > 0, number > 0 else {
      throw .invalid("'\(ref)' is not a measure's reference; write ROUND-NUMBER, e.g. 1-12.")
    }
    return (round, number)
  }
}
