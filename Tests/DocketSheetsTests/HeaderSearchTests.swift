import Testing

@testable import DocketSheets

/// Finding the header below an office's title block (issue 17, item 2).
@Suite("Finding the header row")
struct HeaderSearchTests {
  /// A header names 序号, 牵头领导 and 责任单位 at least; the layout is the names it found.
  static func search() -> HeaderSearch<Set<String>> {
    HeaderSearch(
      read: { names in
        let found = Set(names.filter { ["序号", "措施", "牵头领导", "责任单位"].contains($0) })
        return found.isSuperset(of: ["序号", "牵头领导", "责任单位"]) ? found : nil
      }, fields: { $0.count })
  }

  func row(_ number: Int, _ cells: [String]) -> SheetRow {
    SheetRow(number: number, cells: cells.map { $0.isEmpty ? .empty : .text($0) })
  }

  /// Offers rows until the header is settled: the header, and the first data row when the search
  /// said so on a data row (nil when the header is the row it settled on, or the rows ended).
  func header(_ rows: [SheetRow]) -> (row: Int, names: [String], dataRow: Int?)? {
    var search = Self.search()
    for row in rows {
      switch search.offer(row) {
      case .header(let number, let names, _): return (number, names, nil)
      case .headerAbove(let number, let names, _): return (number, names, row.number)
      case .notYet: continue
      case .none: return nil
      }
    }
    return search.finish().map { ($0.row, $0.names, nil) }
  }

  @Test("below a merged title, a blank row and a 填报单位 line")
  func titleBlock() {
    let found = header([
      row(1, ["落实省委第四巡视组反馈意见整改任务清单"]), row(2, []), row(3, ["填报单位：市委巡视整改办", "", "", "填报日期：2021-07-10"]),
      row(4, ["序号", "措施", "牵头领导", "责任单位"]), row(5, ["1", "措施一", "boss", "市住建局"]),
    ])
    #expect(found?.row == 4)
    #expect(found?.names == ["序号", "措施", "牵头领导", "责任单位"])
    #expect(found?.dataRow == 5)
  }

  @Test("a two-row header: a merged 责任 over 牵头领导 | 责任单位, 序号 merged down both rows")
  func twoRows() {
    let found = header([
      row(1, ["清单"]), row(2, ["序号", "措施", "责任", ""]), row(3, ["", "", "牵头领导", "责任单位"]),
      row(4, ["1", "措施一", "boss", "市住建局"]),
    ])
    #expect(found?.row == 3)
    #expect(found?.names == ["序号", "措施", "牵头领导", "责任单位"])
  }

  @Test("the upper row of a two-row header names every required column; the lower still adds one")
  func upperRowComplete() {
    let found = header([
      row(1, ["序号", "", "牵头领导", "责任单位"]), row(2, ["", "措施", "", ""]), row(3, ["1", "措施一", "boss", "市住建局"]),
    ])
    #expect(found?.row == 2)
    #expect(found?.names == ["序号", "措施", "牵头领导", "责任单位"])
  }

  @Test("a header with no rows below it is still found when the rows end")
  func headerOnly() {
    let found = header([row(1, ["标题"]), row(2, ["序号", "措施", "牵头领导", "责任单位"])])
    #expect(found?.row == 2)
    #expect(found?.dataRow == nil)
  }

  @Test("a title directly above a full header is not read into it")
  func titleAboveHeader() {
    let found = header([row(1, ["", "", "", "", "标题"]), row(2, ["序号", "措施", "牵头领导", "责任单位"])])
    #expect(found?.row == 2)
    #expect(found?.names == ["序号", "措施", "牵头领导", "责任单位"])
  }

  @Test("no header in the first ten rows with something in them: the first of them is named")
  func givesUp() {
    var search = Self.search()
    var outcome: HeaderSearch<Set<String>>.Outcome = .notYet
    for number in 1...12 {
      outcome = search.offer(row(number * 2, ["甲\(number)", "乙"]))
      if case .none = outcome { break }
    }
    guard case .none(let first, let names) = outcome else {
      Issue.record("did not give up: \(outcome)")
      return
    }
    #expect(first == 2 && names == ["甲1", "乙"])
  }
}
