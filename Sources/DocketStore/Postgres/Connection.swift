import CLibPQ
import Foundation

/// One libpq connection. Not shared between threads: each process or test holds its own.
///
/// Every statement goes through `PQexecParams` with its values bound as parameters; the only
/// text sent without parameters is fixed SQL written in this module and migration files.
public final class Connection {
  private(set) var handle: OpaquePointer?
  /// The connection string as given (may hold a password; never printed).
  public let conninfo: String
  /// Statements sent so far (BEGIN, COMMIT and each COPY counted as one), for tests and benchmarks
  /// that hold a use case to its number of round trips.
  public internal(set) var statements = 0
  /// Statement texts run once on this connection, and those prepared on the server under a name.
  /// A text that comes a second time (a mailbox's messages, a batch's slices, a web desk's requests)
  /// is prepared then, and from then on skips the server's parsing and analysis; it is still planned
  /// for its values each time (`plan_cache_mode`). A one-shot command prepares nothing and pays no
  /// extra round trip.
  private var seenOnce: Set<String> = []
  private var prepared: [String: String] = [:]
  private var preparedSerial = 0
  /// Statements the server still holds that the cache has dropped, deallocated once the connection
  /// is out of any transaction.
  private var staleOnServer = false
  /// Prepared statements a connection keeps at most: texts built per batch size would otherwise
  /// grow a long-lived connection's server memory without end.
  static let preparedLimit = 256

  /// Connects with a URI (`postgresql://…`), a `key=value` string, or "" for the PG* environment,
  /// so that .pgpass, pg_service.conf, SSL modes and multi-host strings work as they do for psql.
  ///
  /// Fails at once with the server's own words; unless the connection string, a service file or
  /// `PGCONNECT_TIMEOUT` says otherwise, an unreachable host gives up after 10 seconds rather than
  /// the system's TCP timeout.
  public init(conninfo: String) throws(DatabaseError) {
    self.conninfo = conninfo
    // Keywords before `dbname` are defaults that the expanded connection string overrides. Nothing
    // else is set here, so PGOPTIONS and a service file's settings apply as they do for psql.
    var keys = ["fallback_application_name"]
    var values = ["docket"]
    let environment = ProcessInfo.processInfo.environment
    if environment["PGCONNECT_TIMEOUT"] == nil && environment["PGSERVICE"] == nil
      && !conninfo.contains("service=")
    {
      keys.append("connect_timeout")
      values.append("10")
    }
    if !conninfo.isEmpty {
      keys.append("dbname")
      values.append(conninfo)
    }
    handle = Connection.withCStrings(keys) { keyPointers in
      Connection.withCStrings(values) { valuePointers in
        PQconnectdbParams(keyPointers, valuePointers, 1)
      }
    }
    guard let handle, PQstatus(handle) == CONNECTION_OK else {
      let message =
        handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
      PQfinish(handle)
      self.handle = nil
      throw DatabaseError(kind: .connection, message: message.trimmingTrailingNewlines)
    }
    PQsetNoticeReceiver(handle, { _, _ in }, nil)
    // The decoders read ISO times in UTC and hex bytea, whatever the server's or role's defaults.
    try run(
      script:
        "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET IntervalStyle = 'iso_8601'; SET bytea_output = 'hex'; "
        // A prepared statement is planned for its values each time: a generic plan of a query
        // written `($1 IS NULL OR item_id = $1)` scans everything once it is chosen.
        + "SET plan_cache_mode = force_custom_plan"
    )
  }

  /// Whether a server answers at `conninfo` (libpq's PQping: accepting, or up but refusing us).
  public static func ping(_ conninfo: String) -> Bool {
    let answer = PQping(conninfo)
    return answer == PQPING_OK || answer == PQPING_REJECT
  }

  /// Where this session is connected, as a `key=value` string without a password, for psql and
  /// pg_dump; read from libpq, so it is right whatever URI, environment or service file chose it.
  public var parameters: String {
    func value(_ read: (OpaquePointer?) -> UnsafeMutablePointer<CChar>?) -> String? {
      read(handle).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }
    let pairs: [(String, String?)] = [
      ("host", value(PQhost)), ("port", value(PQport)), ("dbname", value(PQdb)), ("user", value(PQuser)),
    ]
    return pairs.compactMap { key, value in
      value.map {
        "\(key)='\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
      }
    }.joined(separator: " ")
  }

  deinit { PQfinish(handle) }

  /// The server's user name for this session, e.g. to map it to a staff member.
  public var user: String { handle.flatMap { PQuser($0) }.map { String(cString: $0) } ?? "" }

  /// Runs one statement with bound parameters and returns its rows.
  @discardableResult
  public func query(_ sql: String, _ parameters: [any SQLBindable] = []) throws(DatabaseError) -> [Row] {
    guard let result = try execute(sql, parameters) else { return [] }
    let set = ResultSet(result)
    return (0..<set.rowCount).map { Row(set: set, index: $0) }
  }

  /// Runs one statement and returns the number of rows it touched.
  @discardableResult
  public func execute(count sql: String, _ parameters: [any SQLBindable] = []) throws(DatabaseError) -> Int {
    let result = try execute(sql, parameters)
    defer { PQclear(result) }
    return Int(String(cString: PQcmdTuples(result))) ?? 0
  }

  /// Runs one statement and returns its single row, or nil when there is none.
  public func first(_ sql: String, _ parameters: [any SQLBindable] = []) throws(DatabaseError) -> Row? {
    try query(sql, parameters).first
  }

  /// Runs a script of several statements (a migration file), with no parameters.
  public func run(script: String) throws(DatabaseError) {
    statements += 1
    let result = PQexec(handle, script)
    defer { PQclear(result) }
    let status = PQresultStatus(result)
    guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
      throw DatabaseError.from(result: result, connection: handle, statement: script)
    }
  }

  /// Whether a transaction is open on the connection (begun, and not yet committed or rolled back).
  public var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

  /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
  ///
  /// Transactions do not nest: starting one inside another is refused rather than letting the
  /// inner COMMIT end the outer transaction early.
  public func transaction<T, E: Error>(
    isolation: Isolation = .readCommitted, _ body: () throws(E) -> T
  ) throws(TransactionError<E>) -> T {
    guard PQtransactionStatus(handle) == PQTRANS_IDLE else {
      throw .database(
        DatabaseError(kind: .statement, sqlState: "25001", message: "a transaction is already in progress"))
    }
    do { try run(script: isolation.begin) } catch { throw .database(error) }
    let value: T
    do {
      value = try body()
    } catch {
      try? run(script: "ROLLBACK")
      throw .body(error)
    }
    // COMMIT of a transaction that failed inside reports success with the tag ROLLBACK.
    statements += 1
    let result = PQexec(handle, "COMMIT")
    defer { PQclear(result) }
    guard PQresultStatus(result) == PGRES_COMMAND_OK else {
      let error = DatabaseError.from(result: result, connection: handle, statement: "COMMIT")
      // The connection went while COMMIT was on its way: the server may have committed before it
      // went. Say so (08007) rather than "nothing was saved", so that nobody enters it twice blindly.
      if error.kind == .connection {
        throw .database(
          DatabaseError(
            kind: .connection, sqlState: SQLState.transactionResolutionUnknown,
            message: "the connection was lost during COMMIT: \(error.message)", statement: "COMMIT"))
      }
      throw .database(error)
    }
    guard String(cString: PQcmdStatus(result)) == "COMMIT" else {
      throw .database(
        DatabaseError(
          kind: .statement, sqlState: "40000", message: "the transaction failed and was rolled back",
          statement: "COMMIT"))
    }
    return value
  }

  /// Runs `body` under a savepoint of the transaction in progress: kept when it returns, undone
  /// (and the transaction usable again) when it throws. One step of many in one transaction, such
  /// as one message of a mailbox's group, can fail without failing the others.
  public func savepoint<T, E: Error>(_ body: () throws(E) -> T) throws(TransactionError<E>) -> T {
    do { try run(script: "SAVEPOINT docket_step") } catch { throw .database(error) }
    let value: T
    do {
      value = try body()
    } catch {
      do { try run(script: "ROLLBACK TO SAVEPOINT docket_step; RELEASE SAVEPOINT docket_step") } catch {
        throw .database(error)
      }
      throw .body(error)
    }
    do { try run(script: "RELEASE SAVEPOINT docket_step") } catch { throw .database(error) }
    return value
  }

  /// The isolation of a transaction.
  public enum Isolation: Sendable {
    case readCommitted
    /// One snapshot for every statement, for reading a consistent picture (verifying the journal).
    case repeatableReadOnly
    case serializable

    var begin: String {
      switch self {
      case .readCommitted: "BEGIN"
      case .repeatableReadOnly: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
      case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
      }
    }
  }

  private func execute(_ sql: String, _ parameters: [any SQLBindable]) throws(DatabaseError) -> OpaquePointer?
  {
    statements += 1
    let values = parameters.map(\.sqlValue)
    // Text goes to libpq as a C string, which would silently end at a NUL; PostgreSQL text cannot
    // hold one anyway, so refuse it as the server does (22021) rather than store a truncated value.
    for (index, value) in values.enumerated() {
      if case .text(let text) = value, text.utf8.contains(0) {
        throw DatabaseError(
          kind: .statement, sqlState: "22021",
          message: "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot hold",
          statement: sql.split(separator: "\n").first.map(String.init))
      }
    }
    var buffers: [UnsafeMutablePointer<CChar>?] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    for value in values {
      switch value {
      case .null:
        buffers.append(nil)
        lengths.append(0)
        formats.append(0)
      case .text(let text):
        buffers.append(strdup(text))
        lengths.append(0)
        formats.append(0)
      case .bytes(let bytes):
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
          source.withMemoryRebound(to: CChar.self) {
            pointer.update(from: $0.baseAddress!, count: bytes.count)
          }
        }
        buffers.append(pointer)
        lengths.append(Int32(bytes.count))
        formats.append(1)
      }
    }
    defer {
      for (buffer, value) in zip(buffers, values) {
        if case .bytes = value { buffer?.deallocate() } else { free(buffer) }
      }
    }
    let idle = PQtransactionStatus(handle) == PQTRANS_IDLE
    if staleOnServer && idle { try forgetPreparedStatements() }
    func send(_ name: String?) -> OpaquePointer? {
      buffers.withUnsafeBufferPointer { bufferPointer in
        bufferPointer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { valuePointer in
          if let name {
            PQexecPrepared(handle, name, Int32(values.count), valuePointer.baseAddress, lengths, formats, 0)
          } else {
            PQexecParams(handle, sql, Int32(values.count), nil, valuePointer.baseAddress, lengths, formats, 0)
          }
        }
      }
    }
    let name = try preparedName(sql, parameterCount: values.count)
    var result = send(name)
    if name != nil, !succeeded(result), Self.invalidatesPrepared.contains(errorState(result)) {
      // Another process changed a table the statement reads (0A000), or the server no longer has
      // the statement (26000: a DISCARD ALL, a pooler): everything prepared is dropped, on the server
      // as soon as that can be done. Outside a transaction nothing was lost, so it is sent again
      // whole at once; inside one the transaction is aborted, and the caller's retry finds it fresh.
      prepared.removeAll()
      seenOnce.removeAll()
      staleOnServer = true
      if idle {
        PQclear(result)
        try forgetPreparedStatements()
        statements += 1
        result = send(nil)
      }
    }
    guard succeeded(result) else {
      defer { PQclear(result) }
      // A lost connection comes back as a connection failure (DatabaseError.from checks).
      throw DatabaseError.from(result: result, connection: handle, statement: sql)
    }
    return result
  }

  private func succeeded(_ result: OpaquePointer?) -> Bool {
    let status = PQresultStatus(result)
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
  }

  private func errorState(_ result: OpaquePointer?) -> String {
    PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
  }

  private static let invalidatesPrepared = [SQLState.featureNotSupported, SQLState.invalidStatementName]

  /// The server-side name `sql` runs under, preparing it on its second use; nil to send it whole.
  private func preparedName(_ sql: String, parameterCount: Int) throws(DatabaseError) -> String? {
    if let name = prepared[sql] { return name }
    // Cursor commands and other utility statements are sent as they are.
    guard prepared.count < Self.preparedLimit, Self.preparable.contains(where: sql.hasPrefix) else {
      return nil
    }
    guard !seenOnce.insert(sql).inserted else {
      if seenOnce.count > 4 * Self.preparedLimit { seenOnce.removeAll() }
      return nil
    }
    seenOnce.remove(sql)
    preparedSerial += 1
    let name = "docket_\(preparedSerial)"
    statements += 1
    let result = PQprepare(handle, name, sql, Int32(parameterCount), nil)
    defer { PQclear(result) }
    guard PQresultStatus(result) == PGRES_COMMAND_OK else {
      throw DatabaseError.from(result: result, connection: handle, statement: sql)
    }
    prepared[sql] = name
    return name
  }

  private static let preparable = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"]

  /// Forgets the statements prepared so far, on the server too: after a migration has changed the
  /// tables they read, a prepared `SELECT` could no longer return the columns it was planned with.
  public func forgetPreparedStatements() throws(DatabaseError) {
    guard !prepared.isEmpty || staleOnServer else { return }
    try run(script: "DEALLOCATE ALL")
    prepared.removeAll()
    seenOnce.removeAll()
    staleOnServer = false
  }

  private static func withCStrings<R>(
    _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
  ) -> R {
    let pointers = strings.map { UnsafePointer(strdup($0)) } + [nil]
    defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
  }
}

/// A transaction that failed either in the database (begin/commit) or in its body.
public enum TransactionError<E: Error>: Error {
  case database(DatabaseError)
  case body(E)
}

extension Connection {
  /// Lets commits return before the WAL reaches disk, for a bulk load that can simply be re-run
  /// after a crash. The database stays consistent; at most the last moments of the load are lost.
  public func relaxCommitDurability() throws(DatabaseError) {
    try query("SET synchronous_commit TO off")
  }
}
