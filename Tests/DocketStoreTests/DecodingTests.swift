import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("Typed values written and read back")
struct DecodingTests {
  @Test("integers keep their full range")
  func integers() throws {
    let (_, db) = try Store.fresh("ints")
    let row = try #require(
      try db.first(
        "SELECT $1::bigint AS max, $2::bigint AS min, $3::int AS i32, $4::int AS zero, $5::bigint AS neg",
        [Int.max, Int64.min, Int32.max, 0, -42]))
    #expect(try row.decode("max", as: Int.self) == Int.max)
    #expect(try row.decode("min", as: Int64.self) == Int64.min)
    #expect(try row.decode("i32", as: Int32.self) == Int32.max)
    #expect(try row.decode("zero", as: Int.self) == 0)
    #expect(try row.decode("neg", as: Int.self) == -42)
  }

  @Test("booleans in both directions")
  func booleans() throws {
    let (_, db) = try Store.fresh("bools")
    let row = try #require(
      try db.first("SELECT $1::boolean AS t, $2::boolean AS f, NOT $1::boolean AS nt", [true, false]))
    #expect(try row.decode("t", as: Bool.self) == true)
    #expect(try row.decode("f", as: Bool.self) == false)
    #expect(try row.decode("nt", as: Bool.self) == false)
  }

  @Test(
    "doubles round-trip exactly",
    arguments: [0.1, -2.5, Double.pi, 1e300, Double.leastNonzeroMagnitude, 123_456_789.123_456_7])
  func doubles(value: Double) throws {
    let (_, db) = try Store.fresh("doubles")
    let row = try #require(try db.first("SELECT $1::float8 AS d", [value]))
    #expect(try row.decode("d", as: Double.self) == value)
  }

  @Test("a date with microseconds written and read back is equal")
  func dateMicroseconds() throws {
    let (_, db) = try Store.fresh("dates")
    let dates = [
      Date(timeIntervalSince1970: 1_632_796_200.123_456),  // 2021-09-28T02:30:00.123456Z
      Date(timeIntervalSince1970: 1_632_796_200),
      Date(timeIntervalSince1970: 1_638_287_999.999_999),  // the last microsecond of November 2021 (UTC)
      Date(microseconds: -1),  // 1969-12-31T23:59:59.999999Z
      Date(timeIntervalSince1970: -2_208_988_800.5),  // 1899-12-31T23:59:59.5Z
      Date(timeIntervalSince1970: 4_102_444_800.000_001),  // 2100-01-01T00:00:00.000001Z
    ]
    try db.run(script: "CREATE TABLE times (id serial PRIMARY KEY, at timestamptz NOT NULL)")
    for date in dates {
      let id: Int = try db.first("INSERT INTO times (at) VALUES ($1) RETURNING id", [date])!.decode("id")
      let back: Date = try db.first("SELECT at FROM times WHERE id = $1", [id])!.decode("at")
      #expect(back == date, "\(date.timeIntervalSince1970) came back as \(back.timeIntervalSince1970)")
    }
    // The database agrees on the instant, to the microsecond.
    let row = try #require(
      try db.first("SELECT extract(epoch FROM $1::timestamptz)::numeric::text AS epoch", [dates[0]]))
    #expect(try row.decode("epoch", as: String.self) == "1632796200.123456")
  }

  @Test("a date finer than a microsecond comes back rounded to the microsecond")
  func dateSubMicrosecond() throws {
    let (_, db) = try Store.fresh("subus")
    let now = Date()
    let back: Date = try db.first("SELECT $1::timestamptz AS at", [now])!.decode("at")
    #expect(back == now.truncatedToMicroseconds)
    #expect(abs(back.timeIntervalSince(now)) < 0.000_001)
  }

  @Test(
    "timestamps printed in another session time zone decode to the same instant",
    arguments: [
      ("Asia/Shanghai", 1_632_796_200.123_456, "+08"),
      ("Asia/Kolkata", 1_632_796_200.5, "+05:30"),
      ("America/St_Johns", 1_610_000_000.25, "-03:30"),
      ("America/Los_Angeles", 1_632_796_200, "-07"),
      // Before standard time zones: Shanghai local mean time is +08:05:43.
      ("Asia/Shanghai", -2_208_988_800, "+08:05:43"),
    ]
  )
  func otherTimeZone(zone: String, seconds: Double, suffix: String) throws {
    let (_, db) = try Store.fresh("tz")
    let date = Date(timeIntervalSince1970: seconds)
    try db.run(script: "SET TIME ZONE '\(zone)'")
    let row = try #require(try db.first("SELECT $1::timestamptz AS at, $1::timestamptz::text AS raw", [date]))
    let raw = try row.decode("raw", as: String.self)
    #expect(raw.hasSuffix(suffix), "printed as \(raw)")
    #expect(try row.decode("at", as: Date.self) == date)
  }

  @Test("a connection string's own time zone does not change how times are read: docket pins UTC")
  func connectionStringTimeZone() throws {
    let database = try TestCluster.shared.freshDatabase("tzopt")
    let db = try Connection(
      conninfo: TestCluster.shared.conninfo(database: database) + " options='-c TimeZone=Asia/Kolkata'")
    #expect(try db.first("SHOW TimeZone")!.decode("TimeZone", as: String.self) == "UTC")
    let date = Date(timeIntervalSince1970: 1_632_796_200.654_321)
    let row = try #require(try db.first("SELECT $1::timestamptz AS at, now() AS now", [date]))
    #expect(try row.decode("at", as: Date.self) == date)
    #expect(abs(try row.decode("now", as: Date.self).timeIntervalSinceNow) < 60)
  }

  @Test("bytea round-trips every byte value, and empty bytes")
  func bytes() throws {
    let (_, db) = try Store.fresh("bytea")
    let all = (0...255).map(UInt8.init)
    let row = try #require(
      try db.first(
        "SELECT $1::bytea AS all_bytes, length($1::bytea) AS n, $2::bytea AS empty, $3::bytea AS from_data",
        [all, [UInt8](), Data([0, 0xFF, 0x0A, 0x5C])]))
    #expect(try row.decode("all_bytes", as: [UInt8].self) == all)
    #expect(try row.decode("n", as: Int.self) == 256)
    #expect(try row.decode("empty", as: [UInt8].self) == [])
    #expect(try row.decode("from_data", as: [UInt8].self) == [0, 0xFF, 0x0A, 0x5C])
    // Stored in a table as well: the AES-GCM sealed identity column is bytea.
    try db.run(script: "CREATE TABLE blobs (id serial PRIMARY KEY, b bytea NOT NULL)")
    let reversed = Array(all.reversed())
    let id: Int = try db.first("INSERT INTO blobs (b) VALUES ($1) RETURNING id", [reversed])!.decode("id")
    #expect(
      try db.first("SELECT b FROM blobs WHERE id = $1", [id])!.decode("b", as: [UInt8].self) == reversed)
    // The server saw the bytes, not text: its own hex of them matches.
    let hex = try db.first("SELECT encode($1::bytea, 'hex') AS h", [all])!.decode("h", as: String.self)
    #expect(hex == all.hex)
  }

  @Test("a database whose administrator set other output styles still reads times and bytes right")
  func databaseSettings() throws {
    let (database, setup) = try Store.fresh("dbsettings")
    // Settings some older applications put on a shared server's database.
    try setup.run(
      script: """
        ALTER DATABASE \(database) SET DateStyle = 'SQL, DMY';
        ALTER DATABASE \(database) SET TimeZone = 'America/St_Johns';
        ALTER DATABASE \(database) SET bytea_output = 'escape';
        """)
    let db = try Store.connect(database)
    let date = Date(timeIntervalSince1970: 1_632_796_200.123_456)
    let bytes = (0...255).map(UInt8.init)
    let row = try #require(try db.first("SELECT $1::timestamptz AS at, $2::bytea AS b", [date, bytes]))
    #expect(try row.decode("at", as: Date.self) == date)
    #expect(try row.decode("b", as: [UInt8].self) == bytes)
  }

  @Test("a value of the wrong shape, or a missing column, is a decoding error")
  func decodingErrors() throws {
    let (_, db) = try Store.fresh("shape")
    let row = try #require(
      try db.first("SELECT 'abc'::text AS word, 'maybe'::text AS flag, 1.5::float8 AS half"))
    let notInt = try #require(throws: DatabaseError.self) { try row.decode("word", as: Int.self) }
    #expect(notInt.kind == .decoding)
    #expect(notInt.message.contains("word"))
    #expect(throws: DatabaseError.self) { try row.decode("flag", as: Bool.self) }
    #expect(throws: DatabaseError.self) { try row.decode("half", as: Int.self) }
    #expect(throws: DatabaseError.self) { try row.decode("word", as: Date.self) }
    #expect(throws: DatabaseError.self) { try row.decode("word", as: [UInt8].self) }
    let missing = try #require(throws: DatabaseError.self) { try row.decode("nope", as: String.self) }
    #expect(missing.kind == .decoding)
    #expect(missing.message.contains("nope"))
  }

  @Test("text arrays bind element by element, with quotes and backslashes intact")
  func textArray() throws {
    let (_, db) = try Store.fresh("arrays")
    // A quote or backslash followed by a combining mark is one Character with it: escaping must go
    // by bytes, or the quote is left bare and the backslash lost.
    let elements = [
      #"a"b"#, #"c\d"#, "e,f", "{g}", "空 格", "NULL", "", "\"\u{301}", "\\\u{301}x", "\u{200D}\\",
    ]
    let rows = try db.query(
      "SELECT u AS v, ord FROM unnest($1::text[]) WITH ORDINALITY AS t(u, ord) ORDER BY ord",
      [TextArray(elements)])
    #expect(try rows.map { try $0.decode("v", as: String.self) } == elements)
    let withNull = try db.first(
      "SELECT ($1::text[])[2] IS NULL AS second", [TextArray(["a", nil, "c"] as [String?])])
    #expect(try withNull?.decode("second", as: Bool.self) == true)
  }
}
