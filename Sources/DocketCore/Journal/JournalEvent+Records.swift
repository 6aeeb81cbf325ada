import Foundation

/// The larger events' contents, each a record of its own.
extension JournalEvent {
  /// What the `registered` event says.
  public struct Registered: Sendable, Equatable {
    public var ref: String
    public var kind: Kind
    public var source: Source
    public var channel: Channel
    public var category: String?
    public var reporter: ReporterKind
    public var receivedAt: Date
    /// Nil when nobody is accused.
    public var accusedCount: Int?
    /// The handover batch the item came in.
    public var batch: String?

    public init(
      ref: String, kind: Kind, source: Source, channel: Channel, category: String?, reporter: ReporterKind,
      receivedAt: Date, accusedCount: Int?, batch: String?
    ) {
      self.ref = ref
      self.kind = kind
      self.source = source
      self.channel = channel
      self.category = category
      self.reporter = reporter
      self.receivedAt = receivedAt
      self.accusedCount = accusedCount
      self.batch = batch
    }
  }

  /// What a move's event says: the states, and what the move decided.
  public struct MoveRecord: Sendable, Equatable {
    public var from: ItemState
    public var to: ItemState
    public var note: String?
    /// Why (not accepted, reopened).
    public var reason: String?
    /// The original of a duplicate.
    public var original: String?
    public var forwardedTo: String?
    /// The unit and handler assigned.
    public var unit: String?
    public var handler: String?
    /// A leader's reason for assigning to the unit of an accused person.
    public var conflictOverride: String?
    /// The review date of a hold.
    public var until: String?
    public var disposal: Disposal?
    /// Whether the disposal stands approved after the move; nil for moves that do not dispose.
    public var approved: Bool?
    public var finding: Finding?
    public var falseAccusation = false

    public init(from: ItemState, to: ItemState, note: String? = nil) {
      self.from = from
      self.to = to
      self.note = note
    }
  }

  /// What a measure's event says.
  public struct MeasureRecord: Sendable, Equatable {
    /// `ROUND-NUMBER`.
    public var measure: String
    public var measureID: Int64
    public var from: MeasureState
    public var to: MeasureState
    public var note: String?
    /// Why it was reopened.
    public var reason: String?
    /// A progress entry's figure, and the responsible unit it was written for.
    public var done: Double?
    public var unit: String?
    /// The SHA-256 of each evidence file, in order (their names stay with the measure).
    public var evidence: [String] = []
    /// A link's description (``MeasureLink/description``).
    public var link: String?
    /// The lead leader who approved a sign-off.
    public var approvedBy: String?
    /// A milestone's day (阶段目标 or a long-term measure's review date).
    public var milestone: CivilDate?

    public init(measure: String, measureID: Int64, from: MeasureState, to: MeasureState, note: String? = nil)
    {
      self.measure = measure
      self.measureID = measureID
      self.from = from
      self.to = to
      self.note = note
    }
  }

  /// What the `handover_imported` event says.
  public struct HandoverImported: Sendable, Equatable {
    public var batch: String
    public var source: Source
    public var from: String
    public var handoverDate: String
    public var items: Int
    public var rejected: Int
    public var sha256: String

    public init(
      batch: String, source: Source, from: String, handoverDate: String, items: Int, rejected: Int,
      sha256: String
    ) {
      self.batch = batch
      self.source = source
      self.from = from
      self.handoverDate = handoverDate
      self.items = items
      self.rejected = rejected
      self.sha256 = sha256
    }
  }
}
