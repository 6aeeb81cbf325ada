import CLibPQ
import Foundation

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
  /// overloaded, the connection was lost (also in the middle of a transaction or a COPY), or the
  /// transaction lost a serialization race.
  public var isTemporary: Bool {
    if let state = sqlState,
      state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P")
        || state == SQLState.serializationFailure || state == SQLState.deadlockDetected
    {
      return true
    }
    if kind == .connection {
      let text = message.lowercased()
      return
        !(text.contains("password") || text.contains("authentication")
        || text.contains("does not exist") || text.contains("permission denied")
        || text.contains("invalid") || text.contains("pg_hba.conf"))
    }
    return false
  }

  /// Whether the database cannot be reached or went away: not running, starting, shutting down,
  /// unreachable, or the connection was lost. Retrying later is the remedy.
  public var isUnavailable: Bool {
    guard isTemporary else { return false }
    if let state = sqlState, state.hasPrefix("08") || state.hasPrefix("57P") { return true }
    return kind == .connection
  }

  /// Whether the connection was lost while COMMIT was on its way, so that the transaction may or
  /// may not have been committed (SQLSTATE 08007, transaction resolution unknown).
  public var isCommitOutcomeUnknown: Bool { sqlState == SQLState.transactionResolutionUnknown }

  /// What libpq and the server said, on one line: the message, the SQLSTATE, detail and hint.
  /// libpq's own messages run over several lines ("…failed: No such file or directory\n\tIs the
  /// server running locally…"), and every docket error is one line.
  public var particulars: String {
    var text = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " ")
    if let sqlState { text += " (SQLSTATE \(sqlState))" }
    if let detail { text += ". \(detail)" }
    if let hint { text += ". Hint: \(hint)" }
    return text
  }

  public var description: String {
    let detailText = particulars
    if isCommitOutcomeUnknown {
      return
        "The database became unavailable while the change was being saved, so it is not known whether it was saved; check whether it is there before trying again. \(detailText)"
    }
    if isUnavailable {
      return "The database is unavailable at the moment; try again later. \(detailText)"
    }
    if isTemporary {
      if let state = sqlState, state.hasPrefix("53") {
        return
          "The database is short of resources at the moment; nothing was saved, try again later. \(detailText)"
      }
      return
        "The database could not finish this because of a change made at the same moment; nothing was saved, try again. \(detailText)"
    }
    switch kind {
    case .connection: return "Could not connect to the database: \(detailText)"
    case .statement: return "The database refused a statement: \(detailText)"
    case .decoding: return "Unexpected data from the database: \(detailText)"
    }
  }

  static func from(result: OpaquePointer?, connection: OpaquePointer?, statement: String) -> DatabaseError {
    func field(_ code: Int32) -> String? {
      guard let result, let value = PQresultErrorField(result, code) else { return nil }
      return String(cString: value)
    }
    let fallback = connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "unknown error"
    // A connection that is gone (the server stopped, crashed or ended this session) is a connection
    // failure whatever statement was running, with libpq's words and SQLSTATE 08006 when the server
    // sent none: temporary, so that the command exits 75 and is tried again later.
    if !isAlive(connection, serverState: field(Int32(UInt8(ascii: "C")))) {
      return DatabaseError(
        kind: .connection, sqlState: field(Int32(UInt8(ascii: "C"))) ?? SQLState.connectionFailure,
        message: (field(Int32(UInt8(ascii: "M"))) ?? fallback).trimmingTrailingNewlines,
        detail: field(Int32(UInt8(ascii: "D"))), hint: field(Int32(UInt8(ascii: "H"))),
        statement: statement.split(separator: "\n").first.map(String.init))
    }
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

/// Whether the connection is still there after a failure. An error the server sent carries a
/// SQLSTATE and leaves the session as it was; one libpq made itself carries none, and may come from a
/// connection that is gone although libpq has not noticed yet: a statement sent after the server
/// went away (a write into a closed socket) fails with "server closed the connection unexpectedly"
/// while PQstatus still says CONNECTION_OK. Reading what is waiting on the socket settles it: at the
/// end of the stream libpq marks the connection bad.
private func isAlive(_ connection: OpaquePointer?, serverState: String?) -> Bool {
  guard PQstatus(connection) == CONNECTION_OK else { return false }
  guard serverState == nil else { return true }
  _ = PQconsumeInput(connection)
  return PQstatus(connection) == CONNECTION_OK
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
  public static let undefinedColumn = "42703"
  public static let undefinedObject = "42704"
  public static let insufficientPrivilege = "42501"
  public static let invalidCatalogName = "3D000"
  /// Also what a prepared statement gets once a table it reads has changed its columns.
  public static let featureNotSupported = "0A000"
  /// A prepared statement the server does not have (after DISCARD ALL, or behind a pooler).
  public static let invalidStatementName = "26000"
  /// The connection was lost (libpq's own failures carry no SQLSTATE; docket gives them this one).
  public static let connectionFailure = "08006"
  /// The connection was lost while COMMIT was on its way: committed or not, nobody can tell.
  public static let transactionResolutionUnknown = "08007"
}

extension String {
  var trimmingTrailingNewlines: String {
    var text = self
    while text.hasSuffix("\n") || text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
