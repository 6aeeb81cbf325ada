import Foundation

/// One attachment of an item as handlers see it: numbered from 1 in arrival order, its name (with
/// the reporter's own values taken out), type and size, and whether a custodian released it.
public struct AttachmentEntry: Sendable, Equatable {
  public var number: Int
  /// `email` or `intake`.
  public var source: String
  public var filename: String?
  public var contentType: String
  public var size: Int64
  public var sha256: [UInt8]
  public var arrivedAt: Date
  public var releasedAt: Date?
  public var releasedBy: String?

  public init(
    number: Int, source: String, filename: String?, contentType: String, size: Int64, sha256: [UInt8],
    arrivedAt: Date, releasedAt: Date?, releasedBy: String?
  ) {
    self.number = number
    self.source = source
    self.filename = filename
    self.contentType = contentType
    self.size = size
    self.sha256 = sha256
    self.arrivedAt = arrivedAt
    self.releasedAt = releasedAt
    self.releasedBy = releasedBy
  }
}
