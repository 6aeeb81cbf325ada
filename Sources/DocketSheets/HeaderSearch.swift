/// Finds a table's header row the way an office workbook is laid out: below a title block (a
/// merged title row such as 落实省委第四巡视组反馈意见整改任务清单, blank rows, a 填报单位 / 填报日期
/// line), sometimes across two rows (a merged 责任 over 牵头领导 | 责任单位, a 序号 merged down
/// both rows). Rows are offered one at a time, so that a streamed CSV need not be held.
///
/// A row is the header when its names give every required column (`read` returns a layout). The
/// row below it is looked at before the header is settled: read together with it as one header
/// (the lower row's name where it has one, else the upper's), it may find more fields — the upper
/// row of a two-row header can name every required column by itself. A title or 填报 line above
/// a full header adds no field, so it is never read into it.
public struct HeaderSearch<Layout> {
  /// Rows with something in them looked through before giving up.
  public static var depth: Int { 10 }

  /// What an offered row turned out to be.
  public enum Outcome {
    /// This row is the header (the lower of a two-row header), its names as read; the data
    /// starts below it.
    case header(row: Int, names: [String], layout: Layout)
    /// The header is the row `row` above; this row is the first below it, to be read as data.
    case headerAbove(row: Int, names: [String], layout: Layout)
    /// Not settled yet; offer the next row.
    case notYet
    /// No header within the first ``depth`` rows: the first row with anything in it, to name
    /// what it lacks.
    case none(firstRow: Int, names: [String])
  }

  private let read: ([String]) -> Layout?
  private let fields: (Layout) -> Int
  private var upper: (row: Int, names: [String])?
  /// A row that is a header by itself, waiting to see whether the row below completes it.
  private var tentative: (row: Int, names: [String], layout: Layout)?
  private var first: (row: Int, names: [String])?
  private var looked = 0

  /// - Parameters:
  ///   - read: the layout of a header row, or nil when it lacks a required column.
  ///   - fields: how many fields a layout found, to tell a two-row header from a title above one.
  public init(read: @escaping ([String]) -> Layout?, fields: @escaping (Layout) -> Int) {
    self.read = read
    self.fields = fields
  }

  /// The first row with anything in it, to name what it lacks when the rows end before a header.
  public var firstRow: (row: Int, names: [String])? { first }

  /// Looks at the next row of the sheet.
  public mutating func offer(_ row: SheetRow) -> Outcome {
    if let tentative {
      self.tentative = nil
      if !row.isBlank, tentative.row == row.number - 1 {
        let both = Self.combined(upper: tentative.names, lower: row.cells.map(\.text))
        if let together = read(both), fields(together) > fields(tentative.layout) {
          return .header(row: row.number, names: both, layout: together)
        }
      }
      return .headerAbove(row: tentative.row, names: tentative.names, layout: tentative.layout)
    }
    guard !row.isBlank else { return .notYet }
    let names = row.cells.map(\.text)
    looked += 1
    if first == nil { first = (row.number, names) }
    defer { upper = (row.number, names) }
    let alone = read(names)
    if let upper, upper.row == row.number - 1 {
      let both = Self.combined(upper: upper.names, lower: names)
      if let together = read(both), alone.map({ fields(together) > fields($0) }) ?? true {
        return .header(row: row.number, names: both, layout: together)
      }
    }
    if let alone {
      tentative = (row.number, names, alone)
      return .notYet
    }
    if looked >= Self.depth, let first { return .none(firstRow: first.row, names: first.names) }
    return .notYet
  }

  /// When the rows end: the header still waiting for the row below, if any.
  public mutating func finish() -> (row: Int, names: [String], layout: Layout)? {
    defer { tentative = nil }
    return tentative
  }

  /// Two header rows read as one: per column, the lower row's name where it has one, else the
  /// upper's (a merged cell's value sits in its top-left cell).
  public static func combined(upper: [String], lower: [String]) -> [String] {
    (0..<max(upper.count, lower.count)).map { column in
      let below = column < lower.count ? lower[column] : ""
      return below.isEmpty ? (column < upper.count ? upper[column] : "") : below
    }
  }
}

extension Sheet {
  /// A merged range that spans several columns of `row`: in a header row it hides which column
  /// is which. Ranges within one column (a 序号 merged down a two-row header) hide nothing.
  public func mergedAcross(row: Int) -> String? { Self.mergedAcross(row: row, in: merges) }

  /// ``mergedAcross(row:)`` of a sheet's ranges, for a caller that keeps only those.
  public static func mergedAcross(row: Int, in merges: [String]) -> String? {
    merges.first { range in
      guard let (top, bottom) = XLSXReader.mergedRows(range), top <= row, row <= bottom else {
        return false
      }
      return !XLSXReader.isSingleColumn(range)
    }
  }
}
