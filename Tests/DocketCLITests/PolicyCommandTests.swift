import DocketTestSupport
import Foundation
import Testing

@Suite("docket policy")
struct PolicyCommandTests {
  @Test("the six clocks ship with the rules' defaults, and an office can change a length")
  func showAndSet() throws {
    let test = try TestDocket.make("policy")
    let shown = try CLI.run(["policy", "show", "--json"], environment: test.environment)
    #expect(shown.status == 0, "\(shown.stderr)")
    let rules = try #require(
      try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])
    let summary = rules.map { "\($0["clock"]!):\($0["starts_at"]!):\($0["length"]!):\($0["unit"]!)" }
    #expect(
      summary == [
        "forward:receipt:5:working_days", "acceptance_notice:receipt:15:working_days",
        "disposal_proposal:receipt:1:months", "petition_handling:acceptance:60:calendar_days",
        "inspection_report:receipt:3:months", "result_feedback:closure:15:working_days",
      ])
    #expect(rules[3]["extension_length"] as? Int == 30)
    let table = try CLI.run(["policy", "show"], environment: test.environment)
    #expect(table.stdout.contains("受理告知"))
    #expect(table.stdout.contains("15 个工作日"))

    let set = try CLI.run(["policy", "set", "受理告知", "10"], environment: test.environment)
    #expect(set.status == 0, "\(set.stderr)")
    #expect(set.stdout == "acceptance-notice = 10 个工作日\n")
    let after = try CLI.run(["policy", "show", "--json"], environment: test.environment)
    #expect(after.stdout.contains("\"length\" : 10"))
    #expect(try test.docket.journalLog(ref: nil, actor: "admin").last?.event == "policy_changed")
    let bad = try CLI.run(["policy", "set", "forward", "0"], environment: test.environment)
    #expect(bad.status == 65)
    let unknown = try CLI.run(["policy", "set", "nonsense", "5"], environment: test.environment)
    #expect(unknown.status == 64)
  }
}
