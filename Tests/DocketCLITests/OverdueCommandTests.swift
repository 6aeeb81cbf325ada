import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("docket overdue")
struct OverdueCommandTests {
  @Test("the board as JSON, and letters written as Markdown and HTML that never name the reporter")
  func boardAndLetters() throws {
    let test = try TestDocket.make("overdue")
    try Office.staff(test.docket)
    let d = test.docket
    let item = try d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try d.assign(
      item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    let board = try CLI.run(
      ["overdue", "--as-of", "2021-11-03 12:00", "--json"], environment: test.environment)
    #expect(board.status == 0, "\(board.stderr)")
    let lines = try #require(
      try JSONSerialization.jsonObject(with: Data(board.stdout.utf8)) as? [[String: Any]])
    #expect(lines.count == 1)
    #expect(lines.first?["unit"] as? String == "第一纪检监察室")
    #expect(lines.first?["warning"] as? String == "red")
    #expect(lines.first?["working_days_overdue"] as? Int == 7)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "letters-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let issued = try CLI.run(
      ["overdue", "--as-of", "2021-11-03 12:00", "--letters", directory.path, "--as", "cm"],
      environment: test.environment)
    #expect(issued.status == 0, "\(issued.stderr)")
    #expect(issued.stdout.hasPrefix("催办函〔2021〕第1号  第一纪检监察室  1 件"))
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(files == ["2021-催办函-001-第一纪检监察室.html", "2021-催办函-001-第一纪检监察室.md"])
    for file in files {
      let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      #expect(text.contains(item.ref))
      #expect(text.contains("2021年11月3日"))
      #expect(!text.contains("张三丰"))
      #expect(!text.contains("13800138000"))
    }
  }
}
