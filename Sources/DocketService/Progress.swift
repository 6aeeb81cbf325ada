import Foundation

/// How far a long piece of work has got: a handover list's rows, a mailbox's messages, the
/// journal's events, the items whose deadlines a migration works out again.
public struct ProgressReport: Sendable {
  /// What is being done, in a few words: `import`, `email`, `audit verify`.
  public var work: String
  /// What is counted: `rows`, `messages`, `events`, `items`.
  public var unit: String
  public var done: Int
  /// Nil when the total is not known ahead.
  public var total: Int?
  /// The last report of this work.
  public var finished: Bool
}

extension Docket {
  /// Reports progress to ``progress``, if anyone listens.
  func advance(_ work: String, _ unit: String, done: Int, total: Int?, finished: Bool = false) {
    progress?(ProgressReport(work: work, unit: unit, done: done, total: total, finished: finished))
  }
}
