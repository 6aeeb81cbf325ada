import DocketCore
import Foundation

/// Supervision letters (sql/0004_supervision_letters.sql).
public struct LetterRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// Records a letter with the next number of its kind and year; the numbers of one kind and year
  /// are handed out in order under a lock held until commit.
  public func issue(
    year: Int, kind: String, unitID: Int, issuedAt: Date, issuedBy: String, refs: [String]
  ) throws(DatabaseError) -> Int {
    try db.query("SELECT pg_advisory_xact_lock($1)", [Int64(0x646F_636B_6574_1000) + Int64(year)])
    let next: Int = try db.first(
      "SELECT coalesce(max(number), 0) + 1 AS next FROM supervision_letters WHERE year = $1 AND kind = $2",
      [year, kind])!.decode("next")
    try db.query(
      """
      INSERT INTO supervision_letters (year, kind, number, unit_id, issued_at, issued_by, item_refs)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      """, [year, kind, next, unitID, issuedAt, issuedBy, TextArray(refs)])
    return next
  }
}
