import Foundation

/// A person named as the subject of an accusation or clue (被反映人). Not reporter identity.
public struct Accused: Sendable, Equatable, Codable {
  public var name: String
  /// The unit as registered in docket, when it is one; used for the conflict-of-interest check.
  public var unitID: Int?
  /// The unit as written by the reporter or the registrar.
  public var unitName: String?
  public var rank: String?

  public init(name: String, unitID: Int? = nil, unitName: String? = nil, rank: String? = nil) {
    self.name = name
    self.unitID = unitID
    self.unitName = unitName
    self.rank = rank
  }
}

/// One petition, complaint, clue or suggestion in the ledger, as everyone may see it: the reporter
/// appears only as 实名 or 匿名.
public struct Item: Sendable, Equatable {
  public var id: Int64
  public var ref: String
  public var kind: Kind
  public var source: Source
  public var channel: Channel
  public var subject: String
  public var summary: String
  public var category: String?
  public var reporterKind: ReporterKind
  public var receivedAt: Date
  public var state: ItemState
  public var stateSince: Date
  public var unitID: Int?
  public var unitName: String?
  public var handlerID: Int?
  public var handlerLogin: String?
  public var duplicateOfID: Int64?
  public var duplicateOfRef: String?
  public var forwardedTo: String?
  public var disposal: Disposal?
  /// The leader who approved the disposal, when one has.
  public var disposalApproverID: Int?
  public var finding: Finding?
  public var falseAccusation: Bool
  /// The review date of an item on hold, as a day in the office.
  public var holdUntil: String?
  public var channelDetails: [String: String]
  public var accused: [Accused]
  public var registeredBy: String
  public var lastEventAt: Date
  /// See ``ItemSummary/clocksThrough``.
  public var clocksThrough: Date?
  /// Increases with every change; a move names the version it read, so a concurrent change is caught.
  public var version: Int

  public init(
    id: Int64, ref: String, kind: Kind, source: Source, channel: Channel, subject: String,
    summary: String, category: String?, reporterKind: ReporterKind, receivedAt: Date, state: ItemState,
    stateSince: Date, unitID: Int? = nil, unitName: String? = nil, handlerID: Int? = nil,
    handlerLogin: String? = nil, duplicateOfID: Int64? = nil, duplicateOfRef: String? = nil,
    forwardedTo: String? = nil, disposal: Disposal? = nil, disposalApproverID: Int? = nil,
    finding: Finding? = nil, falseAccusation: Bool = false,
    holdUntil: String? = nil, channelDetails: [String: String] = [:], accused: [Accused] = [],
    registeredBy: String, lastEventAt: Date, clocksThrough: Date? = nil, version: Int
  ) {
    self.id = id
    self.ref = ref
    self.kind = kind
    self.source = source
    self.channel = channel
    self.subject = subject
    self.summary = summary
    self.category = category
    self.reporterKind = reporterKind
    self.receivedAt = receivedAt
    self.state = state
    self.stateSince = stateSince
    self.unitID = unitID
    self.unitName = unitName
    self.handlerID = handlerID
    self.handlerLogin = handlerLogin
    self.duplicateOfID = duplicateOfID
    self.duplicateOfRef = duplicateOfRef
    self.forwardedTo = forwardedTo
    self.disposal = disposal
    self.disposalApproverID = disposalApproverID
    self.finding = finding
    self.falseAccusation = falseAccusation
    self.holdUntil = holdUntil
    self.channelDetails = channelDetails
    self.accused = accused
    self.registeredBy = registeredBy
    self.lastEventAt = lastEventAt
    self.clocksThrough = clocksThrough
    self.version = version
  }

  public var disposalApproved: Bool { disposalApproverID != nil }
}

/// A member of staff and what they may do.
public struct Staff: Sendable, Equatable {
  public var id: Int
  public var login: String
  public var name: String
  public var roles: Set<Role>
  public var unitID: Int?
  public var unitName: String?
  public var active: Bool

  public init(
    id: Int, login: String, name: String, roles: Set<Role>, unitID: Int?, unitName: String?, active: Bool
  ) {
    self.id = id
    self.login = login
    self.name = name
    self.roles = roles
    self.unitID = unitID
    self.unitName = unitName
    self.active = active
  }
}

/// A responsible unit (责任单位), or any body an accused person belongs to.
public struct OrgUnit: Sendable, Equatable {
  public var id: Int
  public var name: String
  public init(id: Int, name: String) {
    self.id = id
    self.name = name
  }
}

/// One event of the journal as stored.
public struct JournalEntry: Sendable, Equatable {
  public var seq: Int64
  public var itemID: Int64?
  public var itemRef: String?
  public var actor: String
  public var event: String
  public var effectiveAt: Date
  public var recordedAt: Date
  /// Canonical JSON of what changed, exactly as hashed.
  public var payload: String
  public var previousHash: [UInt8]
  public var hash: [UInt8]

  public init(
    seq: Int64, itemID: Int64?, itemRef: String?, actor: String, event: String, effectiveAt: Date,
    recordedAt: Date, payload: String, previousHash: [UInt8], hash: [UInt8]
  ) {
    self.seq = seq
    self.itemID = itemID
    self.itemRef = itemRef
    self.actor = actor
    self.event = event
    self.effectiveAt = effectiveAt
    self.recordedAt = recordedAt
    self.payload = payload
    self.previousHash = previousHash
    self.hash = hash
  }

  /// The exact bytes the hash covers after the previous hash: a versioned, newline-separated record.
  /// Times are microseconds since 1970, so no formatting or time zone can change them.
  public var hashedContent: [UInt8] {
    // Written straight into one buffer: `audit verify` builds this for every event of the journal.
    let numbers = [
      String(seq), itemID.map(String.init) ?? "", String(effectiveAt.microseconds),
      String(recordedAt.microseconds),
    ]
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64 + actor.utf8.count + event.utf8.count + payload.utf8.count)
    for (index, field) in [
      "docket-journal-v1", numbers[0], numbers[1], actor, event, numbers[2], numbers[3], payload,
    ]
    .enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: "\n")) }
      bytes.append(contentsOf: field.utf8)
    }
    return bytes
  }
}
