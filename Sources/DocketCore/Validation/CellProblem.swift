/// What is wrong with one cell of a spreadsheet docket imports (a handover list, a rectification
/// plan): where (row as the spreadsheet numbers it, column letter and header), and what to do.
public struct CellProblem: Error, Sendable, Equatable, CustomStringConvertible {
  public var row: Int
  public var column: String
  public var header: String
  public var problem: String

  public init(row: Int, column: String, header: String, problem: String) {
    self.row = row
    self.column = column
    self.header = header
    self.problem = problem
  }

  public var description: String { "row \(row), column \(column) (\(header)): \(problem)" }
}
