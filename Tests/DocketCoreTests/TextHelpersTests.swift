import Foundation
import Testing

@testable import DocketCore

@Suite("Hexadecimal and trimming")
struct TextHelpersTests {
  @Test("hex is two lower-case digits per byte, of any sequence of bytes")
  func hex() {
    #expect([UInt8]().hex == "")
    #expect(([0x00, 0x0F, 0xA5, 0xFF] as [UInt8]).hex == "000fa5ff")
    #expect((0...255).map(UInt8.init).hex.count == 512)
    #expect(Array("中".utf8)[...].hex == "e4b8ad")
  }

  @Test("trimming gives what trimmingCharacters(in:) gives, whatever the ends hold")
  func trimming() {
    for text in ["", " ", "王某", " 王某", "王某\u{3000}", "\t王 某\n", "\u{3000}", "a b", "\u{A0}x\u{A0}"] {
      #expect(
        text.trimming(.whitespaces) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
      #expect(
        text.trimming(.whitespacesAndNewlines) == text.trimmingCharacters(in: .whitespacesAndNewlines),
        "\(text.debugDescription)")
    }
  }
}
