import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("The journal")
struct JournalTests {
  /// Appends `count` events, each in its own transaction as the service does.
  @discardableResult
  private func append(_ db: Connection, count: Int, actor: String = "reg") throws -> [JournalEntry] {
    let journal = JournalRepository(db)
    return try (1...count).map { i in
      try db.transaction { () throws(DatabaseError) -> JournalEntry in
        try journal.append(
          itemID: nil, actor: actor, event: "note",
          // Deliberately finer than a microsecond: stored and hashed at microsecond precision.
          effectiveAt: Date(timeIntervalSince1970: 1_632_796_200.123_456_7 + Double(i)),
          payload: #"{"n":\#(i),"text":"第\#(i)条 \"quoted\"\n"}"#)
      }
    }
  }

  private func expectRefused(_ db: Connection, _ sql: String, _ operation: String) {
    do {
      try db.query(sql)
      Issue.record("\(operation) on the journal was allowed")
    } catch {
      #expect(error.kind == .statement)
      #expect(error.sqlState == "42501", "\(operation): \(error)")
      #expect(error.message.contains("append-only"), "\(operation): \(error.message)")
      #expect(error.message.contains(operation), "\(operation): \(error.message)")
      #expect(error.hint != nil)
    }
  }

  @Test("UPDATE, DELETE and TRUNCATE on the journal are refused with SQLSTATE 42501")
  func appendOnly() throws {
    let (database, db) = try Store.fresh("appendonly")
    let written = try append(db, count: 3)
    expectRefused(db, "UPDATE journal SET actor = 'mallory' WHERE seq = 2", "UPDATE")
    expectRefused(db, "UPDATE journal SET payload = payload", "UPDATE")
    expectRefused(db, "DELETE FROM journal WHERE seq = 3", "DELETE")
    expectRefused(db, "DELETE FROM journal", "DELETE")
    expectRefused(db, "TRUNCATE journal", "TRUNCATE")
    expectRefused(db, "TRUNCATE journal CASCADE", "TRUNCATE")
    // Nothing changed, seen from another session.
    let stored = try JournalRepository(try Store.connect(database)).entries()
    #expect(stored == written)
    // Appending still works after the refusals.
    let more = try append(db, count: 1)
    #expect(more.first?.seq == 4)
  }

  @Test("events chain: gapless seq, each prev_hash the hash before, each hash recomputable")
  func chain() throws {
    let (database, db) = try Store.fresh("chain")
    let written = try append(db, count: 5)
    let stored = try JournalRepository(try Store.connect(database)).entries()
    #expect(stored.map(\.seq) == [1, 2, 3, 4, 5])
    #expect(stored.first?.previousHash == JournalRepository.genesis)
    for (earlier, later) in zip(stored, stored.dropFirst()) {
      #expect(later.previousHash == earlier.hash, "event \(later.seq) does not follow \(earlier.seq)")
    }
    for entry in stored {
      #expect(entry.hash.count == 32)
      #expect(JournalRepository.hash(entry) == entry.hash, "event \(entry.seq) does not match its hash")
    }
    // What append returned is exactly what was stored, to the microsecond.
    #expect(stored == written)
    #expect(stored.first?.effectiveAt == Date(timeIntervalSince1970: 1_632_796_201.123_457))
    let head = try JournalRepository(db).head()
    #expect(head.seq == 5)
    #expect(head.hash == stored.last?.hash)
    // The cursor walks the same chain, then ends; closed, it can be walked again.
    let walked = try db.transaction { () throws(DatabaseError) -> [[JournalEntry]] in
      let journal = JournalRepository(db)
      var walk = try journal.walk()
      var pages = [try walk.next(), try walk.next()]
      try walk.close()
      walk = try journal.walk()
      pages.append(try walk.next())
      return pages
    }
    #expect(walked.map { $0.map(\.seq) } == [[1, 2, 3, 4, 5], [], [1, 2, 3, 4, 5]])
    #expect(walked[0].map(\.hash) == stored.map(\.hash))
  }

  @Test("a changed event no longer matches its hash")
  func tamperDetected() throws {
    let (_, db) = try Store.fresh("tamper")
    let entries = try append(db, count: 2)
    var forged = entries[1]
    forged.actor = "mallory"
    #expect(JournalRepository.hash(forged) != forged.hash)
    var shifted = entries[1]
    shifted.effectiveAt = shifted.effectiveAt.addingTimeInterval(0.000_001)
    #expect(JournalRepository.hash(shifted) != shifted.hash)
  }

  @Test("appends from 6 connections at once stay gapless and chained")
  func concurrentAppends() throws {
    let (database, _) = try Store.fresh("concurrentjournal")
    let conninfo = TestCluster.shared.conninfo(database: database)
    let perThread = 10
    let results = Store.simultaneously(6) { index, ready in
      let db = try Connection(conninfo: conninfo)
      let journal = JournalRepository(db)
      ready()
      for i in 0..<perThread {
        try db.transaction { () throws(DatabaseError) -> Void in
          try journal.append(
            itemID: nil, actor: "t\(index)", event: "note", effectiveAt: Date(), payload: #"{"i":\#(i)}"#)
        }
      }
      return index
    }
    for case .failure(let error) in results { Issue.record("an appending connection failed: \(error)") }
    let stored = try JournalRepository(try Store.connect(database)).entries()
    #expect(stored.map(\.seq) == (1...Int64(6 * perThread)).map { $0 })
    #expect(stored.first?.previousHash == JournalRepository.genesis)
    for (earlier, later) in zip(stored, stored.dropFirst()) { #expect(later.previousHash == earlier.hash) }
    #expect(stored.allSatisfy { JournalRepository.hash($0) == $0.hash })
    for index in 0..<6 { #expect(stored.filter { $0.actor == "t\(index)" }.count == perThread) }
  }

  @Test(
    "a change of policy committed while an append waits for the head is seen, and the append writes nothing")
  func clockGenerationAfterWait() throws {
    let (database, db) = try Store.fresh("generationwait")
    let before: String = try db.first("SELECT clock_generation::text AS g FROM journal_head")!.decode("g")
    // Another transaction holds the head, having counted a change of policy; it commits only once
    // the append below is waiting for the head, so the append's statement began before the change.
    let holder = try Store.connect(database)
    try holder.run(script: "BEGIN")
    try holder.query("UPDATE journal_head SET clock_generation = clock_generation + 1 WHERE singleton")
    let conninfo = TestCluster.shared.conninfo(database: database)
    let written = Locked<Result<Bool, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Thread {
      written.update { result in
        result = Result {
          let db = try Connection(conninfo: conninfo)
          return try db.transaction { () throws(DatabaseError) -> Bool in
            try JournalRepository(db).append(
              [.init(itemID: nil, actor: "reg", event: "note", effectiveAt: Date(), payload: "{}")],
              ifClockGeneration: before) != nil
          }
        }
      }
      done.signal()
    }.start()
    var waited = 0
    while waited < 200,
      try db.first("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'")!
        .decode("n") as Int == 0
    {
      usleep(20_000)
      waited += 1
    }
    #expect(waited < 200, "the append never waited for the head")
    try holder.run(script: "COMMIT")
    done.wait()
    #expect(try written.value?.get() == false)
    #expect(try JournalRepository(db).entries().isEmpty)
  }
}
