import Foundation

/// The few fields of an item that a board, a letter or a clock needs, for reading many items at
/// once; like ``Item``, it carries no reporter identity.
public struct ItemSummary: Sendable, Equatable {
  public var id: Int64
  public var ref: String
  public var kind: Kind
  public var source: Source
  public var subject: String
  public var reporterKind: ReporterKind
  public var receivedAt: Date
  public var state: ItemState
  public var unitID: Int?
  public var unitName: String?
  public var handlerLogin: String?
  /// The effective time of the latest event the item's stored clock facts were worked out from;
  /// nil when they never have been. They hold for any moment from then on.
  public var clocksThrough: Date?

  public init(
    id: Int64, ref: String, kind: Kind, source: Source, subject: String, reporterKind: ReporterKind,
    receivedAt: Date, state: ItemState, unitID: Int? = nil, unitName: String? = nil,
    handlerLogin: String? = nil, clocksThrough: Date? = nil
  ) {
    self.id = id
    self.ref = ref
    self.kind = kind
    self.source = source
    self.subject = subject
    self.reporterKind = reporterKind
    self.receivedAt = receivedAt
    self.state = state
    self.unitID = unitID
    self.unitName = unitName
    self.handlerLogin = handlerLogin
    self.clocksThrough = clocksThrough
  }

  public init(_ item: Item) {
    self.init(
      id: item.id, ref: item.ref, kind: item.kind, source: item.source, subject: item.subject,
      reporterKind: item.reporterKind, receivedAt: item.receivedAt, state: item.state,
      unitID: item.unitID, unitName: item.unitName, handlerLogin: item.handlerLogin,
      clocksThrough: item.clocksThrough)
  }

  /// What decides which of the item's clocks run.
  public var clockSubject: ClockSubject {
    ClockSubject(kind: kind, source: source, reporterKind: reporterKind, receivedAt: receivedAt)
  }
}
