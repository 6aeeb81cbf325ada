import CLibPQ

/// Rows for one table, encoded and ready to send with ``Connection/insert(into:_:)``: by COPY in its
/// text format when there are many, as one multi-row `INSERT` when there are few.
///
/// Encoding is most of what a client spends on a large COPY, and needs no connection, so a batch
/// encodes its next rows on another thread while the connection sends the last ones. A COPY costs
/// three round trips where an `INSERT` costs one, so the few rows an item's event writes keep their
/// values for a statement.
public struct CopyRows: Sendable {
  /// The columns, in the order every row gives them.
  public let columns: [String]
  /// How many rows were appended.
  public private(set) var count = 0
  var bytes: [UInt8] = []
  /// The values while there are at most ``statementLimit`` rows; nil past that.
  private(set) var values: [[String?]]? = []

  /// The most rows sent as one `INSERT` rather than by COPY.
  static let statementLimit = 64

  public init(columns: [String]) {
    self.columns = columns
  }

  public init(columns: [String], rows: some Sequence<[String?]>) {
    self.init(columns: columns)
    for row in rows { append(row) }
  }

  /// Appends one row, a value per column, nil for NULL; tabs, line breaks and backslashes are escaped.
  public mutating func append(_ row: [String?]) {
    Self.encode(row, into: &bytes)
    count += 1
    if count > Self.statementLimit { values = nil } else { values?.append(row) }
  }

  public var isEmpty: Bool { count == 0 }

  static func encode(_ row: [String?], into buffer: inout [UInt8]) {
    for (i, field) in row.enumerated() {
      if i > 0 { buffer.append(9) }
      guard let field else {
        buffer.append(contentsOf: [92, 78])
        continue
      }
      appendEscaped(field, to: &buffer)
    }
    buffer.append(10)
  }

  /// A field in COPY's text format: backslash, tab and line breaks escaped, runs without them
  /// copied whole (a batch copies hundreds of megabytes).
  private static func appendEscaped(_ field: String, to buffer: inout [UInt8]) {
    var field = field
    field.withUTF8 { bytes in
      var runStart = 0
      for index in 0..<bytes.count {
        let byte = bytes[index]
        guard byte == 92 || byte == 9 || byte == 10 || byte == 13 else { continue }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        buffer.append(92)
        buffer.append(byte == 92 ? 92 : byte == 9 ? 116 : byte == 10 ? 110 : 114)
        runStart = index + 1
      }
      buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }
  }
}

extension Connection {
  /// Writes `rows` into their columns of `table`: as one `INSERT … VALUES` with every value bound
  /// (its types those of the columns) when they are few, else by COPY (``copy(into:_:)``). `table`
  /// and the columns are identifiers written in code, never input.
  public func insert(into table: String, _ rows: CopyRows) throws(DatabaseError) {
    guard !rows.isEmpty else { return }
    guard let values = rows.values else {
      try copy(into: table, rows)
      return
    }
    let width = rows.columns.count
    let tuples = (0..<values.count).map { row in
      "(" + (1...width).map { "$\(row * width + $0)" }.joined(separator: ", ") + ")"
    }
    try query(
      "INSERT INTO \(table) (\(rows.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))",
      values.flatMap { $0 })
  }

  /// Writes rows into several tables: when each table's rows are few, in one statement, each
  /// table's `INSERT … VALUES` a data-modifying part of its `WITH` (one round trip, where a table
  /// at a time costs one each); else table by table as ``insert(into:_:)``, in the order given.
  /// `alongside` are more data-modifying statements sent with them, numbering their parameters
  /// $1…$n in the one list they share: rows that move with the inserted ones, as the journal's
  /// head and the report rollup move with its events. They must not touch the tables inserted
  /// into: the parts of one statement see the same snapshot, so a row one deletes could still
  /// stand in another's way. A foreign key between two of the tables is checked when the whole
  /// statement ends, so a child's rows may come before their parent's.
  public func insert(
    _ writes: [(table: String, rows: CopyRows)],
    alongside: (statements: [String], parameters: [any SQLBindable]) = ([], [])
  ) throws(DatabaseError) {
    let writes = writes.filter { !$0.rows.isEmpty }
    var parameters = alongside.parameters
    var parts = alongside.statements
    if writes.allSatisfy({ $0.rows.values != nil }) {
      for write in writes {
        let width = write.rows.columns.count
        let values = write.rows.values ?? []
        let base = parameters.count
        let tuples = (0..<values.count).map { row in
          "(" + (1...width).map { "$\(base + row * width + $0)" }.joined(separator: ", ") + ")"
        }
        parts.append(
          "INSERT INTO \(write.table) (\(write.rows.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))"
        )
        for row in values { parameters += row.map { $0 as any SQLBindable } }
      }
    } else {
      // Many rows go by COPY, table by table; what goes alongside follows in one statement.
      for write in writes { try insert(into: write.table, write.rows) }
    }
    guard let main = parts.popLast() else { return }
    let with = parts.enumerated().map { "w\($0.offset) AS (\($0.element))" }.joined(separator: ", ")
    try query(parts.isEmpty ? main : "WITH \(with) \(main)", parameters)
  }

  /// Streams rows into `COPY … FROM STDIN` (text format) and returns the number of rows copied.
  ///
  /// Each row is a list of optional strings in column order; tabs, newlines and backslashes are
  /// escaped, nil becomes NULL. Rows are encoded as they are sent, 64 KiB at a time, so a long
  /// sequence is never held whole. The tables of docket's own writes use ``copy(into:_:)``.
  @discardableResult
  public func copy(_ sql: String, rows: some Sequence<[String?]>) throws(DatabaseError) -> Int {
    try copyIn(sql) { send in
      var buffer = [UInt8]()
      buffer.reserveCapacity(1 << 17)
      var count = 0
      for row in rows {
        CopyRows.encode(row, into: &buffer)
        count += 1
        if buffer.count >= 1 << 16 {
          guard send(buffer[...]) else { return count }
          buffer.removeAll(keepingCapacity: true)
        }
      }
      _ = send(buffer[...])
      return count
    }
  }

  /// Sends rows encoded beforehand into their columns of `table` and returns how many were copied.
  ///
  /// PostgreSQL refuses `COPY FROM` into a table whose row-level security applies to the session's
  /// role (a registrar working on their own database role, say), so for such a role the rows are
  /// copied into a temporary table and moved over with one `INSERT … SELECT`, which the table's
  /// policies check row by row. `table` and the columns are identifiers written in code, never input.
  @discardableResult
  public func copy(into table: String, _ rows: CopyRows) throws(DatabaseError) -> Int {
    guard !rows.isEmpty else { return 0 }
    func send(_ sql: String) throws(DatabaseError) -> Int {
      try copyIn(sql) { send in
        var start = 0
        while start < rows.bytes.count {
          let end = min(start + (1 << 16), rows.bytes.count)
          guard send(rows.bytes[start..<end]) else { break }
          start = end
        }
        return rows.count
      }
    }
    let list = rows.columns.joined(separator: ", ")
    let secured: Bool = try first("SELECT row_security_active($1::text::regclass) AS secured", [table])!
      .decode("secured")
    guard secured else { return try send("COPY \(table) (\(list)) FROM STDIN") }
    let stage = "pg_temp.docket_stage_\(table)"
    try query("CREATE TEMP TABLE docket_stage_\(table) AS SELECT \(list) FROM \(table) WITH NO DATA")
    let count = try send("COPY \(stage) (\(list)) FROM STDIN")
    try query("INSERT INTO \(table) (\(list)) SELECT \(list) FROM \(stage)")
    try query("DROP TABLE \(stage)")
    return count
  }

  /// Runs `COPY … FROM STDIN`, hands `produce` a function that sends bytes (false once sending
  /// failed, when it should stop), ends the COPY and returns what `produce` returned.
  private func copyIn(
    _ sql: String, _ produce: (_ send: (ArraySlice<UInt8>) -> Bool) -> Int
  ) throws(DatabaseError) -> Int {
    statements += 1
    let start = PQexec(handle, sql)
    let status = PQresultStatus(start)
    guard status == PGRES_COPY_IN else {
      defer { PQclear(start) }
      throw DatabaseError.from(result: start, connection: handle, statement: sql)
    }
    PQclear(start)
    var failure: DatabaseError?
    let count = produce { bytes in
      guard failure == nil else { return false }
      guard !bytes.isEmpty else { return true }
      let sent = bytes.withUnsafeBufferPointer { pointer in
        pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
      }
      if sent != 1 { failure = DatabaseError.from(result: nil, connection: handle, statement: sql) }
      return failure == nil
    }
    if PQputCopyEnd(handle, failure == nil ? nil : "docket: copy aborted") != 1, failure == nil {
      failure = DatabaseError.from(result: nil, connection: handle, statement: sql)
    }
    var finalError: DatabaseError? = failure
    while let result = PQgetResult(handle) {
      let status = PQresultStatus(result)
      if status != PGRES_COMMAND_OK, finalError == nil {
        finalError = DatabaseError.from(result: result, connection: handle, statement: sql)
      }
      PQclear(result)
      // Still in COPY IN after the end was sent means the connection is gone: libpq would hand out
      // the same state for ever.
      if status == PGRES_COPY_IN || status == PGRES_COPY_OUT { break }
    }
    if let finalError { throw finalError }
    return count
  }
}
