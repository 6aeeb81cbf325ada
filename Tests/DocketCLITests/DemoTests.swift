import DocketTestSupport
import Foundation
import Testing

@Suite("docket demo")
struct DemoTests {
  @Test("loads the seed's ledgers once and prints them with the seed's figures")
  func demo() throws {
    let test = try TestDocket.make("demo")
    let first = try CLI.run(["demo"], environment: test.environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("巡视移交信访件：251 件，已办结 251 件，办结率 100.0%"))
    #expect(first.stdout.contains("涉警问题线索：152 件，已办结 137 件，办结率 90.1%"))
    #expect(first.stdout.contains("涉黑涉恶问题线索：17 件，已办结 14 件"))
    #expect(first.stdout.contains("涉警信访件：33 件，已办结 23 件"))
    // It ends with the November 2021 report by ledger: cohort, closed and the rate.
    let lines = first.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    #expect(first.stdout.contains("2021年11月信访举报办结情况"))
    #expect(lines.contains { $0.first == "涉警问题" && $0[3] == "152" && $0[4] == "137" && $0[5] == "90.1%" })
    #expect(lines.contains { $0.first == "涉黑涉恶" && $0[3] == "17" && $0[4] == "14" })
    let second = try CLI.run(["demo", "--lang", "en"], environment: test.environment)
    #expect(second.status == 0)
    #expect(second.stdout.contains("already loaded"))
    #expect(second.stdout.contains("涉警问题线索: 152 items, 137 closed, closure rate 90.1%"))
    // Police-misconduct clues are never handled by the police bureau itself (conflict of interest).
    let police = try CLI.run(["list", "--json", "--unit", "雷州市公安局"], environment: test.environment)
    #expect(police.status == 0, "\(police.stderr)")
    #expect((try JSONSerialization.jsonObject(with: Data(police.stdout.utf8)) as? [Any])?.isEmpty == true)
    // The demo's reporters are named (反映人…, 来电人…, 群众…), yet the ledger shows only 实名/匿名.
    let ledger = try CLI.run(["list", "--json"], environment: test.environment)
    #expect(ledger.stdout.contains("\"reporter\" : \"real_name\""))
    for name in ["反映人", "来电人", "群众1", "1392759", "citizen"] { #expect(!ledger.stdout.contains(name)) }
    let verify = try CLI.run(["audit", "verify"], environment: test.environment)
    #expect(verify.status == 0, "\(verify.stderr)")
  }
}
