import Testing

@testable import DocketCore

/// A generator that replays fixed numbers, to check how codes are drawn.
struct ReplayGenerator: RandomNumberGenerator {
  var values: [UInt64]
  mutating func next() -> UInt64 { values.removeFirst() }
}

@Suite("Receipt codes")
struct ReceiptCodeTests {
  @Test("a code is 20 digits shown in five groups of four: 8 of selector, 12 of verifier")
  func format() {
    let code = ReceiptCode(selector: "48210937", verifier: "552108461173")
    #expect(code.grouped == "4821-0937-5521-0846-1173")
    #expect(code.selector == "48210937")
    #expect(code.verifier == "552108461173")
  }

  @Test("interpolating a code shows none of its digits")
  func redacted() {
    let code = ReceiptCode(selector: "48210937", verifier: "552108461173")
    for shown in ["\(code)", String(describing: code), String(reflecting: code)] {
      #expect(!shown.contains("4821"))
      #expect(!shown.contains("1173"))
      #expect(shown.filter(\.isNumber).isEmpty)
    }
  }

  @Test(
    "a code is read with or without dashes and spaces, and in full-width digits",
    arguments: [
      "4821-0937-5521-0846-1173", "48210937552108461173", "4821 0937 5521 0846 1173",
      "  4821-0937 5521-0846-1173\n", "4821–0937—5521－0846 1173", "４８２１-０９３７-５５２１-０８４６-１１７３",
      "4821\u{3000}0937\u{3000}5521\u{3000}0846\u{3000}1173", "48-21-09-37-55-21-08-46-11-73",
    ])
  func parse(_ text: String) throws {
    let code = try ReceiptCode(parsing: text)
    #expect(code.grouped == "4821-0937-5521-0846-1173")
    #expect(code == ReceiptCode(selector: "48210937", verifier: "552108461173"))
  }

  @Test(
    "a code of the wrong length says how many digits it has and how many it needs",
    arguments: [
      ("4821-0937-5521-0846-117", "has 19 digits"), ("4821-0937-5521-0846-11734", "has 21 digits"),
      ("4821-0937", "has 8 digits"), ("", "is empty"), (" - - ", "is empty"),
    ])
  func wrongLength(_ text: String, _ problem: String) {
    #expect {
      try ReceiptCode(parsing: text)
    } throws: { error in
      let message = (error as? FieldError)?.description ?? ""
      return message
        == "The receipt code \(problem); expected 20 digits in five groups of four, as on the receipt (1234-5678-9012-3456-7890)."
    }
  }

  @Test(
    "a code with anything but digits and separators is refused without repeating it",
    arguments: ["4821-0937-5521-0846-117A", "4821.0937.5521.0846.1173", "4821/0937/5521/0846/1173", "一二三"])
  func notDigits(_ text: String) {
    #expect {
      try ReceiptCode(parsing: text)
    } throws: { error in
      let message = (error as? FieldError)?.description ?? ""
      return message
        == "The receipt code contains a character that is not a digit; expected the 20 digits printed on the receipt, with or without dashes or spaces between groups."
        && !message.contains("0937")
    }
  }

  @Test("codes are drawn from the generator in full range and zero-padded")
  func drawing() {
    // UInt64.random(in:) scales a draw to the range by multiplying (Lemire's method), rejecting the
    // few draws that would bias it: the largest draw gives the largest code, and a draw of seven
    // 2^64/n-ths gives 6.
    var highs = ReplayGenerator(values: [.max, .max])
    let high = ReceiptCode.random(using: &highs)
    #expect(high.grouped == "9999-9999-9999-9999-9999")
    var lows = ReplayGenerator(values: [UInt64.max / 100_000_000 * 7, UInt64.max / 1_000_000_000_000 * 7])
    let low = ReceiptCode.random(using: &lows)
    #expect(low.selector == "00000006")
    #expect(low.verifier == "000000000006")
  }

  @Test("random codes differ and use every digit")
  func randomCodes() throws {
    let codes = (0..<200).map { _ in ReceiptCode.random() }
    #expect(Set(codes.map(\.grouped)).count == codes.count)
    #expect(Set(codes.flatMap { Array($0.selector + $0.verifier) }).count == 10)
    for code in codes { #expect(try ReceiptCode(parsing: code.grouped) == code) }
  }

  @Test("every item state has one public word; a duplicate takes its original's")
  func publicStates() {
    let expected: [ItemState: PublicState] = [
      .registered: .received, .accepted: .accepted, .assigned: .inProgress, .handling: .inProgress,
      .onHold: .inProgress, .concluded: .inProgress, .closed: .closed, .notAccepted: .notAccepted,
      .forwarded: .forwarded, .duplicate: .received,
    ]
    for state in ItemState.allCases { #expect(PublicState(state) == expected[state], "\(state)") }
    #expect(PublicState(.duplicate, original: .closed) == .closed)
    #expect(PublicState(.duplicate, original: .handling) == .inProgress)
    #expect(PublicState(.duplicate, original: .duplicate) == .received)
    #expect(PublicState.inProgress.label(.chinese) == "办理中")
    #expect(PublicState.inProgress.label(.english) == "in progress")
    #expect(PublicState.closed.chinese == "已办结")
    #expect(PublicState.accepted.chinese == "已受理")
  }
}
