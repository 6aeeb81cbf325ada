import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("Reference number counters")
struct ReferenceCounterTests {
  @Test("each (year, kind) counts 1, 2, 3 on its own")
  func independentCounters() throws {
    let (_, db) = try Store.fresh("counters")
    let items = RegistrationRepository(db)
    #expect(try (1...3).map { _ in try items.reserveSequences(year: 2021, kind: .accusation) } == [1, 2, 3])
    #expect(try items.reserveSequences(year: 2021, kind: .clue) == 1)
    #expect(try items.reserveSequences(year: 2022, kind: .accusation) == 1)
    #expect(try items.reserveSequences(year: 2021, kind: .clue) == 2)
    #expect(try items.reserveSequences(year: 2021, kind: .accusation) == 4)
    for kind in Kind.allCases where kind != .accusation && kind != .clue {
      #expect(try items.reserveSequences(year: 2021, kind: kind) == 1, "\(kind)")
    }
  }

  @Test("a number taken in a rolled-back transaction is handed out again")
  func rolledBack() throws {
    let (_, db) = try Store.fresh("counterrollback")
    let items = RegistrationRepository(db)
    #expect(try items.reserveSequences(year: 2021, kind: .petition) == 1)
    _ = try? db.transaction { () throws -> Void in
      #expect(try items.reserveSequences(year: 2021, kind: .petition) == 2)
      throw CancellationError()
    }
    #expect(try items.reserveSequences(year: 2021, kind: .petition) == 2)
  }

  @Test("8 connections at once get 8 distinct consecutive numbers")
  func concurrent() throws {
    let (database, _) = try Store.fresh("countersconcurrent")
    let conninfo = TestCluster.shared.conninfo(database: database)
    let results = Store.simultaneously(8) { _, ready in
      let db = try Connection(conninfo: conninfo)
      ready()
      return try RegistrationRepository(db).reserveSequences(year: 2021, kind: .clue)
    }
    var numbers: [Int] = []
    for result in results {
      switch result {
      case .success(let number): numbers.append(number)
      case .failure(let error): Issue.record("a connection failed: \(error)")
      }
    }
    #expect(numbers.sorted() == Array(1...8))
    let db = try Store.connect(database)
    #expect(try RegistrationRepository(db).reserveSequences(year: 2021, kind: .clue) == 9)
  }

  @Test("8 connections each taking numbers in their own transactions never share one")
  func concurrentTransactions() throws {
    let (database, _) = try Store.fresh("counterstx")
    let conninfo = TestCluster.shared.conninfo(database: database)
    let results = Store.simultaneously(8) { _, ready in
      let db = try Connection(conninfo: conninfo)
      let items = RegistrationRepository(db)
      ready()
      var mine: [Int] = []
      for _ in 0..<5 {
        mine.append(
          try db.transaction { () throws(DatabaseError) -> Int in
            try items.reserveSequences(year: 2021, kind: .accusation)
          })
      }
      return mine
    }
    var numbers: [Int] = []
    for result in results {
      switch result {
      case .success(let mine): numbers += mine
      case .failure(let error): Issue.record("a connection failed: \(error)")
      }
    }
    #expect(numbers.sorted() == Array(1...40))
  }
}
