import DocketTestSupport
import Foundation
import Testing

@Suite("The README's permission matrix")
struct PermissionMatrixDocTests {
  @Test("is exactly what 'docket staff permissions' prints, which is what the service layer checks")
  func readmeMatchesTheCode() throws {
    let printed = try CLI.run(["staff", "permissions"], environment: [:])
    #expect(printed.status == 0, "\(printed.stderr)")
    #expect(printed.stdout.contains("| `reveal` |"))
    let readme = try String(
      contentsOf: TestCluster.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(
      readme.contains(printed.stdout), "README.md's matrix differs; paste 'docket staff permissions' into it")
  }
}
