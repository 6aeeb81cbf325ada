import Testing

@testable import DocketCore

/// The GB 11643-1999 check character of the first 17 digits of a resident identity card number,
/// computed here independently of the code under test.
func idCheckCharacter(_ body: String) -> Character {
  precondition(body.count == 17)
  let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  var sum = 0
  for (character, weight) in zip(body, weights) { sum += Int(String(character))! * weight }
  // Check characters for sum mod 11 = 0, 1, 2, …, 10.
  let table: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
  return table[sum % 11]
}

/// A valid ID number: Lianjiang, Guangdong (440881), born 1990-01-01, sequence 123.
let validIDBody = "44088119900101123"
let validID = validIDBody + String(idCheckCharacter(validIDBody))

/// A body whose check character is X, found by walking the sequence number.
let xIDNumber: String = {
  for sequence in 100...999 {
    let body = "44088119900101\(sequence)"
    if idCheckCharacter(body) == "X" { return body + "X" }
  }
  fatalError("no body with check character X")
}()

@Suite("Contact")
struct ContactTests {
  // MARK: Phone numbers

  @Test(
    "mobile numbers are accepted and normalised to 11 digits",
    arguments: [
      "13800138000", "+86 138 0013 8000", "+8613800138000", "+86-13800138000", "0086 13800138000",
      "008613800138000", "138 0013 8000", "138-0013-8000", "138.0013.8000", "  13800138000  ",
    ])
  func mobile(_ raw: String) throws {
    #expect(try Contact.phone(raw) == "13800138000")
  }

  @Test("every mobile prefix 13–19 is accepted", arguments: ["3", "4", "5", "6", "7", "8", "9"])
  func mobilePrefixes(_ second: String) throws {
    let number = "1\(second)912345678"
    #expect(try Contact.phone(number) == number)
  }

  @Test(
    "landlines are accepted and normalised to area-number[-extension]",
    arguments: [
      ("0759-8814115", "0759-8814115"),
      ("07598814115", "0759-8814115"),
      ("0759 8814115", "0759-8814115"),
      ("(0759)8814115", "0759-8814115"),
      ("(0759) 8814115", "0759-8814115"),
      ("（0759）8814115", "0759-8814115"),
      ("0759-8814115-123", "0759-8814115-123"),
      ("+86 759 8814115", "0759-8814115"),
      ("+86 0759 8814115", "0759-8814115"),
      ("010-62345678", "010-62345678"),
      ("01062345678", "010-62345678"),
      ("(010)62345678", "010-62345678"),
      ("02083331234", "020-83331234"),
      ("020-83331234", "020-83331234"),
      ("+86 10 6234 5678", "010-62345678"),
      ("+86-10-62345678", "010-62345678"),
      ("0086 20 8333 1234", "020-83331234"),
    ])
  func landline(_ raw: String, _ expected: String) throws {
    #expect(try Contact.phone(raw) == expected)
  }

  @Test(
    "things that are not phone numbers are refused",
    arguments: [
      "12345",  // too short
      "23800138000",  // 11 digits but not a mobile prefix
      "12800138000",  // mobile numbers start 13–19
      "138001380001",  // 12 digits
      "0759-0814115",  // a local number never starts with 0
      // A local number never starts with 1 either: those are service codes (110, 12345, …).
      // The brief suggested 010-12345678 as a valid landline; it is not a subscriber number.
      "010-12345678",
      "0759-881411",  // local number too short
      "0759-881411512",  // local number too long
      "0759-8814115-1234567",  // extension too long
      "0759--8814115", "0759-8814115-",
      "1380013800a", "138OO138OOO", "phone 13800138000", "abc", "", "   ",
    ])
  func refused(_ raw: String) {
    let error = #expect(throws: FieldError.self) { try Contact.phone(raw) }
    #expect(error?.field == "phone")
    #expect(error?.value == nil)
  }

  @Test(
    "a refused phone number never appears in the error message",
    arguments: ["23800138000", "0759-0814115", "1390013900a", "12345", "0759-8814115-1234567"])
  func phoneNotInMessage(_ raw: String) {
    let error = #expect(throws: FieldError.self) { try Contact.phone(raw) }
    guard let error else { return }
    let digits = raw.filter(\.isNumber)
    #expect(!error.description.contains(raw))
    #expect(!error.description.contains(digits))
    #expect(!String(describing: error).contains(digits))
    #expect(!"\(error)".contains(digits))
    #expect(error.description.hasPrefix("The phone is not"))
    // …but it does say what would be accepted.
    #expect(error.description.contains("13800138000"))
    #expect(error.description.contains("0759-8814115"))
  }

  // MARK: Postcodes

  @Test("a six-digit postcode is accepted and trimmed")
  func postcode() throws {
    #expect(try Contact.postcode("524200") == "524200")
    #expect(try Contact.postcode(" 524200 ") == "524200")
    #expect(try Contact.postcode("100000") == "100000")
  }

  @Test(
    "malformed postcodes are refused",
    arguments: ["12345", "1234567", "abcdef", "912345", "999999", "52420a", "524 200", "", "５２４２００"])
  func postcodeRefused(_ raw: String) {
    let error = #expect(throws: FieldError.self) { try Contact.postcode(raw) }
    #expect(error?.field == "postcode")
  }

  @Test("a postcode locates the reporter, so the message does not echo it")
  func postcodeMessage() {
    let error = #expect(throws: FieldError.self) { try Contact.postcode("12345") }
    #expect(
      error?.description
        == "The postcode is not a 6-digit postal code; expected six digits, for example 524200.")
  }

  // MARK: ID numbers

  @Test("the test's own check-digit computation agrees with a published example")
  func checkDigitOracle() {
    // The worked example of GB 11643-1999: 11010519491231002X.
    #expect(idCheckCharacter("11010519491231002") == "X")
    #expect(idCheckCharacter(validIDBody) == validID.last!)
  }

  @Test("an 18-digit ID number with the right check digit is accepted")
  func idValid() throws {
    #expect(try Contact.idNumber(validID) == validID)
    #expect(try Contact.idNumber(" \(validID) ") == validID)
    #expect(try Contact.idNumber("11010519491231002X") == "11010519491231002X")
  }

  @Test("a check character X is accepted in either case and stored upper-case")
  func idX() throws {
    #expect(xIDNumber.hasSuffix("X"))
    #expect(try Contact.idNumber(xIDNumber) == xIDNumber)
    #expect(try Contact.idNumber(xIDNumber.lowercased()) == xIDNumber)
  }

  @Test("every wrong check digit is refused")
  func idWrongCheck() {
    let right = validID.last!
    for wrong in "0123456789X" where wrong != right {
      let candidate = validIDBody + String(wrong)
      let error = #expect(throws: FieldError.self) { try Contact.idNumber(candidate) }
      #expect(error?.field == "id number")
      #expect(error?.value == nil)
      #expect(error?.description.contains("check digit") == true)
    }
  }

  @Test("a changed digit in the body is caught by the check digit")
  func idTypo() {
    var characters = Array(validID)
    characters[10] = characters[10] == "9" ? "8" : "9"
    #expect(throws: FieldError.self) { try Contact.idNumber(String(characters)) }
  }

  @Test(
    "ID numbers of the wrong shape are refused",
    arguments: [
      "", "440881900101123",  // 15-digit first-generation number
      "4408811990010112", "4408811990010112345", "44088119900101A23X", "X40881199001011234",
    ])
  func idShape(_ raw: String) {
    let error = #expect(throws: FieldError.self) { try Contact.idNumber(raw) }
    #expect(error?.field == "id number")
    #expect(error?.value == nil)
  }

  @Test("a refused ID number never appears in the error message")
  func idNotInMessage() {
    let wrong = validIDBody + (validID.last! == "0" ? "1" : "0")
    for raw in [wrong, validIDBody, validID + "1"] {
      let error = #expect(throws: FieldError.self) { try Contact.idNumber(raw) }
      guard let error else { continue }
      #expect(!error.description.contains(raw))
      #expect(!error.description.contains(validIDBody))
      #expect(!error.description.contains("19900101"))
      #expect(!"\(error)".contains(validIDBody))
    }
  }

  // MARK: Email

  @Test(
    "email addresses are accepted with the domain lower-cased",
    arguments: [
      ("jwjb@example.cn", "jwjb@example.cn"),
      ("  jwjb@example.cn ", "jwjb@example.cn"),
      ("Zhang.San@Example.GOV.CN", "Zhang.San@example.gov.cn"),
      ("a+tag@mail.example.com", "a+tag@mail.example.com"),
    ])
  func email(_ raw: String, _ expected: String) throws {
    #expect(try Contact.email(raw) == expected)
  }

  @Test(
    "things that are not email addresses are refused",
    arguments: [
      "", "jwjb", "jwjb@example", "@example.cn", "jwjb@", "jwjb@@example.cn", "a@b@example.cn",
      "jw jb@example.cn", "<jwjb@example.cn>", "jwjb@.cn", "jwjb@example.cn.", "Zhang <jwjb@example.cn>",
    ])
  func emailRefused(_ raw: String) {
    let error = #expect(throws: FieldError.self) { try Contact.email(raw) }
    #expect(error?.field == "email")
    #expect(error?.value == nil)
    if raw.contains("jwjb") { #expect(error?.description.contains("jwjb") == false) }
  }

  // MARK: FieldError

  @Test("a validation error reads as one sentence with what was expected")
  func validationErrorDescription() {
    let shown = FieldError(
      field: "month", value: "2021-13", problem: "is not a month", expected: "YYYY-MM")
    #expect(shown.description == "The month '2021-13' is not a month; expected YYYY-MM.")
    let hidden = FieldError(field: "phone", value: nil, problem: "is wrong", expected: "digits")
    #expect(hidden.description == "The phone is wrong; expected digits.")
  }
}
