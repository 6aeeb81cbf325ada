import DocketCore
import DocketService
import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// Which case of ``DocketError`` a use case refused with, to compare in `#expect`.
enum Refusal: String, Equatable, CustomStringConvertible {
  case notFound, forbidden, transition, changedMeanwhile, refused, invalid, database, cluster, migration
  case identityKey, sealing, temporary, usage

  var description: String { rawValue }
}

extension DocketError {
  var refusal: Refusal {
    switch self {
    case .notFound: .notFound
    case .forbidden: .forbidden
    case .transition: .transition
    case .changedMeanwhile: .changedMeanwhile
    case .refused: .refused
    case .invalid: .invalid
    case .database: .database
    case .cluster: .cluster
    case .migration: .migration
    case .identityKey: .identityKey
    case .sealing: .sealing
    case .temporary: .temporary
    case .usage: .usage
    }
  }
}

/// Runs `body`, expecting it to be refused with `expected`; returns the error for further checks.
@discardableResult
func expectRefusal<T>(
  _ expected: Refusal, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws(DocketError) -> T
) -> DocketError? {
  do {
    _ = try body()
    Issue.record(
      "expected the request to be refused with .\(expected), but it succeeded", sourceLocation: sourceLocation
    )
    return nil
  } catch {
    #expect(error.refusal == expected, "refused with: \(error)", sourceLocation: sourceLocation)
    return error
  }
}

/// A fresh database with the small office of ``Office/staff(_:)``.
struct Scene {
  let test: TestDocket
  var d: Docket { test.docket }

  static func make(_ label: String, now: Date? = nil) throws -> Scene {
    let test = try TestDocket.make(label, now: now)
    try Office.staff(test.docket)
    return Scene(test: test)
  }

  /// Registers a phone accusation received 2021-09-28 09:00 from 张三丰 against 王某 of 市公安局.
  func register(_ request: IntakeRequest = Office.call(at: beijing("2021-09-28 09:00"))) throws(DocketError)
    -> Item
  {
    try d.intake(request, actor: "reg")
  }

  /// Registers an item of `kind` and moves it to handling in 第一纪检监察室 with h1:
  /// accepted 09-28 10:00, assigned 09-29 10:00, started 09-30 10:00.
  func handling(_ kind: Kind = .accusation, subject: String = "反映某局长收受红包") throws(DocketError) -> Item {
    let item = try register(Office.call(subject: subject, kind: kind, at: beijing("2021-09-28 09:00")))
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try d.assign(
      item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    return try d.start(item.ref, actor: "h1", .init(at: beijing("2021-09-30 10:00")))
  }

  /// An item's clocks by name, as `show` gives them at `asOf` (Beijing time).
  func clocks(_ ref: String, asOf: String) throws -> [DeadlineClock: ItemClock] {
    let clock = d.now
    d.now = { beijing(asOf) }
    defer { d.now = clock }
    return Dictionary(uniqueKeysWithValues: try d.show(ref, actor: "aud").clocks.map { ($0.clock, $0) })
  }

  /// The item as it is now, with its journal.
  func reload(_ ref: String) throws(DocketError) -> ItemHistory { try d.show(ref, actor: "aud") }
}

/// The newest `/usr/lib/postgresql/N/bin/NAME`, else NAME on the PATH, as LocalCluster finds its tools.
func postgresProgram(_ name: String) -> String? {
  let versions =
    ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
    .compactMap(Int.init).sorted(by: >)
  var directories = versions.map { "/usr/lib/postgresql/\($0)/bin" }
  directories += (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    .map(String.init)
  return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A value shared between threads under a lock.
final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let lock = NSLock()
  init(_ value: Value) { self.value = value }
  func withLock<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
}

/// Lets a non-Sendable object that only one thread uses cross into that thread.
final class Handed<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// Progress reports as they come, from whichever thread sends them.
final class Reports: @unchecked Sendable {
  private let lock = NSLock()
  private var reports: [ProgressReport] = []
  func add(_ report: ProgressReport) { lock.withLock { reports.append(report) } }
  var all: [ProgressReport] { lock.withLock { reports } }
}
