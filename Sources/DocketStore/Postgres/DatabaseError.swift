import CLibPQ

/// A failure reported by libpq or the server, with the SQLSTATE and the server's own words.
///
/// It carries the server's primary message, detail and hint, and the first line of the statement,
/// never the parameters. A server DETAIL can quote a row's values ("Key (ref)=(…) already exists");
/// reporters' identities are stored only sealed and hashed, so none of them can appear there.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// Could not connect: wrong password, unknown host, server down.
    case connection
    /// The server refused or failed a statement.
    case statement
    /// A value came back in a shape the caller did not expect.
    case decoding
  }

  public let kind: Kind
  /// The five-character SQLSTATE, when the server sent one.
  public let sqlState: String?
  public let message: String
  public let detail: String?
  public let hint: String?
  public let constraint: String?
  /// The first line of the statement, to say which one failed.
  public let statement: String?

  public init(
    kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
    constraint: String? = nil, statement: String? = nil
  ) {
    self.kind = kind
    self.sqlState = sqlState
    self.message = message
    self.detail = detail
    self.hint = hint
    self.constraint = constraint
    self.statement = statement
  }

  /// Whether retrying later may succeed: the server is unreachable, starting, shutting down or
  /// overloaded, or the transaction lost a serialization race.
  public var isTemporary: Bool {
    if kind == .connection {
      let text = message.lowercased()
      return
        !(text.contains("password") || text.contains("authentication")
        || text.contains("does not exist") || text.contains("permission denied")
        || text.contains("invalid") || text.contains("pg_hba.conf"))
    }
    guard let state = sqlState else { return false }
    return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P")
      || state == SQLState.serializationFailure || state == SQLState.deadlockDetected
  }

  public var description: String {
    var text: String
    switch kind {
    case .connection: text = "Could not connect to the database: \(message)"
    case .statement: text = "The database refused a statement: \(message)"
    case .decoding: text = "Unexpected data from the database: \(message)"
    }
    if let sqlState { text += " (SQLSTATE \(sqlState))" }
    if let detail { text += ". \(detail)" }
    if let hint { text += ". Hint: \(hint)" }
    return text
  }

  static func from(result: OpaquePointer?, connection: OpaquePointer?, statement: String) -> DatabaseError {
    func field(_ code: Int32) -> String? {
      guard let result, let value = PQresultErrorField(result, code) else { return nil }
      return String(cString: value)
    }
    let fallback = connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "unknown error"
    return DatabaseError(
      kind: .statement,
      sqlState: field(Int32(UInt8(ascii: "C"))),
      message: (field(Int32(UInt8(ascii: "M"))) ?? fallback).trimmingTrailingNewlines,
      detail: field(Int32(UInt8(ascii: "D"))),
      hint: field(Int32(UInt8(ascii: "H"))),
      constraint: field(Int32(UInt8(ascii: "n"))),
      statement: statement.split(separator: "\n").first.map(String.init))
  }
}

/// SQLSTATE codes docket reacts to (PostgreSQL, Appendix A).
public enum SQLState {
  public static let uniqueViolation = "23505"
  public static let foreignKeyViolation = "23503"
  public static let checkViolation = "23514"
  public static let serializationFailure = "40001"
  public static let deadlockDetected = "40P01"
  public static let raiseException = "P0001"
  public static let undefinedTable = "42P01"
  public static let undefinedObject = "42704"
  public static let insufficientPrivilege = "42501"
  public static let invalidCatalogName = "3D000"
}

extension String {
  var trimmingTrailingNewlines: String {
    var text = self
    while text.hasSuffix("\n") || text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
