import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// Registers checked rows as the items of batch `batchID`, inside the caller's transaction:
  /// reference numbers reserved per year and kind in row order, identities sealed, items and their
  /// accused written by COPY, one `registered` event each, then their clocks and report periods.
  /// Returns the references in row order.
  ///
  /// A chunk of rows at a time, so that what a batch adds to its rows in memory stays the size of
  /// a few chunks however long the list; each chunk is prepared on a second thread while the one
  /// before it is written (``Pipeline``).
  func registerBatch(_ rows: [HandoverRow], batchID: Int64, actor: Staff) throws(DocketError) -> [String] {
    let handover = HandoverRepository(db)
    let refs = try reserveReferences(for: rows)
    let preparer = BatchChunkPreparer(
      rows: rows, refs: refs, batchID: batchID, actor: actor, enteredBy: enteredBy(actor.login),
      vault: rows.contains { !$0.identity.isEmpty } ? try vault() : nil, units: try unitIDs(),
      engine: try clockEngine(), time: office.time)
    let journal = JournalRepository(db)
    var chain = try store { try journal.lockHead() }
    var rollup: [RollupKey: Int] = [:]
    func write(_ prepared: BatchChunkPreparer.Prepared) throws(DocketError) {
      try store {
        try handover.write(prepared.items)
        try journal.write(prepared.journal)
        try ClockRepository(db).insertNew(prepared.clocks)
      }
      rollup.merge(prepared.rollup, uniquingKeysWith: +)
      chain = prepared.chain
    }
    let pipeline = Pipeline(state: chain) { (chain, chunk: BatchChunkPreparer.Chunk) throws(DocketError) in
      try preparer.prepare(chunk, chain: &chain)
    }
    for start in stride(from: 0, to: rows.count, by: Self.batchChunk) {
      let range = start..<min(start + Self.batchChunk, rows.count)
      let ids = try store { try handover.reserveItemIDs(range.count) }
      if let prepared = try pipeline.submit(.init(range: range, ids: ids)) { try write(prepared) }
    }
    while let prepared = try pipeline.next() { try write(prepared) }
    try store {
      try journal.advanceHead(to: chain)
      try ReportRepository(db).apply(rollup.filter { $0.value != 0 })
    }
    return refs
  }

  static let batchChunk = 5_000

  /// Reference numbers for `rows` in order, reserved per year and kind under the counters' row
  /// locks (in a fixed order, so that two batches cannot deadlock).
  private func reserveReferences(for rows: [HandoverRow]) throws(DocketError) -> [String] {
    struct Counter: Hashable {
      var year: Int
      var kind: Kind
    }
    let handover = HandoverRepository(db)
    let counters = rows.map { Counter(year: office.time.year(of: $0.receivedAt), kind: $0.kind) }
    var next: [Counter: Int] = [:]
    for (counter, count) in Dictionary(counters.map { ($0, 1) }, uniquingKeysWith: +).sorted(by: {
      ($0.key.year, $0.key.kind.rawValue) < ($1.key.year, $1.key.kind.rawValue)
    }) {
      next[counter] = try store {
        try handover.reserveSequences(year: counter.year, kind: counter.kind, count: count)
      }
    }
    return counters.map { counter in
      let sequence = next[counter]!
      next[counter] = sequence + 1
      return office.referencePattern.format(year: counter.year, kind: counter.kind, sequence: sequence)
    }
  }

  /// A flat map of strings as ``canonicalJSON(_:)`` writes it (sorted keys, slashes and non-ASCII
  /// as they are), nil values left out; written by hand because a batch writes it hundreds of
  /// thousands of times. Keys must be distinct.
  static func flatJSON(_ fields: KeyValuePairs<String, String?>) -> String {
    var out: [UInt8] = [UInt8(ascii: "{")]
    out.reserveCapacity(512)
    // The callers list their keys in order already, and sorting a sorted handful costs next to nothing.
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
      guard let value else { continue }
      if out.count > 1 { out.append(UInt8(ascii: ",")) }
      quote(key, into: &out)
      out.append(UInt8(ascii: ":"))
      quote(value, into: &out)
    }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }

  /// Escapes as JSONEncoder does: quote, backslash and control characters; everything else,
  /// slashes and non-ASCII included, as it is. Works on UTF-8 bytes, which no escape touches.
  private static func quote(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
      case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
