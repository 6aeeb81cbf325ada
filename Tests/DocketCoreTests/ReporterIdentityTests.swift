import Foundation
import Testing

@testable import DocketCore

@Suite("Reporter identity")
struct ReporterIdentityTests {
  static let name = "张三丰"
  static let phone = "13912345678"
  static let email = "zhangsf@example.cn"
  static let address = "广东省湛江市廉江市人民大道88号"

  static let full = ReporterIdentity(
    name: name, phone: phone, email: email, address: address, idNumber: validID)

  // MARK: kind

  @Test("a name plus any usable contact is real-name (实名)")
  func realName() {
    #expect(ReporterIdentity(name: Self.name, phone: Self.phone).kind == .realName)
    #expect(ReporterIdentity(name: Self.name, email: Self.email).kind == .realName)
    #expect(ReporterIdentity(name: Self.name, address: Self.address).kind == .realName)
    #expect(Self.full.kind == .realName)
    // A unit may stand in for the name.
    #expect(ReporterIdentity(name: "某某公司", phone: "0759-8814115").kind == .realName)
  }

  @Test("anything less is anonymous (匿名)")
  func anonymous() {
    #expect(ReporterIdentity().kind == .anonymous)
    #expect(ReporterIdentity(name: Self.name).kind == .anonymous)
    #expect(ReporterIdentity(phone: Self.phone).kind == .anonymous)
    #expect(ReporterIdentity(email: Self.email, address: Self.address).kind == .anonymous)
    // An ID number identifies a person but is not a way to reach them.
    #expect(ReporterIdentity(name: Self.name, idNumber: validID).kind == .anonymous)
  }

  @Test("blank fields count as missing")
  func blanks() {
    let identity = ReporterIdentity(name: "  ", phone: "", email: "\n", address: " ", idNumber: "")
    #expect(identity.isEmpty)
    #expect(identity.kind == .anonymous)
    #expect(ReporterIdentity(name: " ", phone: Self.phone).kind == .anonymous)
    #expect(ReporterIdentity(name: Self.name, phone: "   ").kind == .anonymous)
  }

  @Test("fields are trimmed")
  func trimmed() {
    let identity = ReporterIdentity(name: "  \(Self.name) ", phone: " \(Self.phone)\n")
    #expect(identity.name == Self.name)
    #expect(identity.phone == Self.phone)
  }

  @Test("isEmpty")
  func isEmpty() {
    #expect(ReporterIdentity().isEmpty)
    #expect(!ReporterIdentity(address: Self.address).isEmpty)
    #expect(!ReporterIdentity(idNumber: validID).isEmpty)
  }

  // MARK: redaction

  static let secrets = [name, phone, email, address, validID, "1391234", "zhangsf", "张三"]

  static func expectRedacted(
    _ text: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for secret in secrets {
      #expect(!text.contains(secret), "leaked \(secret.count) characters", sourceLocation: sourceLocation)
    }
  }

  @Test("description says only 实名 or 匿名")
  func description() {
    #expect(Self.full.description == "实名")
    #expect(ReporterIdentity(phone: Self.phone).description == "匿名")
    Self.expectRedacted(Self.full.description)
  }

  @Test("debugDescription says only the kind")
  func debugDescription() {
    #expect(Self.full.debugDescription == "ReporterIdentity(real_name)")
    #expect(ReporterIdentity(name: Self.name).debugDescription == "ReporterIdentity(anonymous)")
    Self.expectRedacted(Self.full.debugDescription)
    Self.expectRedacted(String(reflecting: Self.full))
  }

  @Test("string interpolation, print and collections never show the identity")
  func interpolation() {
    let identity = Self.full
    Self.expectRedacted("reporter: \(identity)")
    Self.expectRedacted(String(describing: identity))
    Self.expectRedacted("\([identity])")
    Self.expectRedacted("\(["reporter": identity])")
    Self.expectRedacted(String(describing: Optional(identity)))
    var printed = ""
    print(identity, to: &printed)
    Self.expectRedacted(printed)
    #expect(printed == "实名\n")
  }

  @Test("dump and reflection never show the identity either")
  func reflection() {
    var dumped = ""
    dump(Self.full, to: &dumped)
    Self.expectRedacted(dumped)
    for child in Mirror(reflecting: Self.full).children {
      Self.expectRedacted(String(describing: child.value))
    }
  }

  @Test("an error that interpolates an identity does not leak it")
  func errorMessage() {
    struct Failure: Error, CustomStringConvertible {
      let reporter: ReporterIdentity
      var description: String { "could not notify \(reporter) reporter" }
    }
    let failure = Failure(reporter: Self.full)
    #expect(failure.description == "could not notify 实名 reporter")
    Self.expectRedacted(String(describing: failure as any Error))
  }

  // MARK: validation

  @Test("validated normalises every field")
  func validated() throws {
    let identity = try ReporterIdentity.validated(
      name: " \(Self.name) ", phone: "+86 139 1234 5678", email: "ZhangSF@Example.CN",
      address: Self.address, idNumber: xIDNumber.lowercased())
    #expect(identity.name == Self.name)
    #expect(identity.phone == Self.phone)
    #expect(identity.email == "ZhangSF@example.cn")
    #expect(identity.address == Self.address)
    #expect(identity.idNumber == xIDNumber)
    #expect(identity.kind == .realName)
  }

  @Test("validated treats blank fields as absent")
  func validatedBlanks() throws {
    let identity = try ReporterIdentity.validated(
      name: Self.name, phone: "  ", email: "", address: nil, idNumber: " ")
    #expect(identity.phone == nil)
    #expect(identity.email == nil)
    #expect(identity.idNumber == nil)
    #expect(identity.kind == .anonymous)
  }

  @Test("validated refuses a bad field without echoing it")
  func validatedRefuses() {
    let phone = #expect(throws: FieldError.self) {
      try ReporterIdentity.validated(
        name: Self.name, phone: "2391234567", email: nil, address: nil, idNumber: nil)
    }
    #expect(phone?.field == "phone")
    #expect(phone?.description.contains("2391234567") == false)

    let wrongCheck = validIDBody + (validID.last! == "0" ? "1" : "0")
    let id = #expect(throws: FieldError.self) {
      try ReporterIdentity.validated(
        name: Self.name, phone: Self.phone, email: nil, address: nil, idNumber: wrongCheck)
    }
    #expect(id?.field == "id number")
    #expect(id?.description.contains(validIDBody) == false)

    let email = #expect(throws: FieldError.self) {
      try ReporterIdentity.validated(
        name: Self.name, phone: nil, email: "zhangsf at example.cn", address: nil, idNumber: nil)
    }
    #expect(email?.field == "email")
    #expect(email?.description.contains("zhangsf") == false)
  }

  // MARK: match keys

  @Test("match keys tag each identifying value with its field")
  func matchKeys() {
    #expect(
      Self.full.matchKeys == [
        "phone:\(Self.phone)", "email:\(Self.email)", "id:\(validID)",
        "name-address:\(Self.name)|\(Self.address)",
      ])
  }

  @Test("match keys ignore case in email and ID number")
  func matchKeysCase() {
    let upper = ReporterIdentity(email: "ZhangSF@Example.CN", idNumber: xIDNumber.lowercased())
    let lower = ReporterIdentity(email: "zhangsf@example.cn", idNumber: xIDNumber)
    #expect(upper.matchKeys == lower.matchKeys)
    #expect(upper.matchKeys == ["email:zhangsf@example.cn", "id:\(xIDNumber)"])
  }

  @Test("a name alone or an address alone is no match key; together they are")
  func matchKeysNameAddress() {
    #expect(ReporterIdentity(name: Self.name).matchKeys.isEmpty)
    #expect(ReporterIdentity(address: Self.address).matchKeys.isEmpty)
    #expect(ReporterIdentity().matchKeys.isEmpty)
    #expect(
      ReporterIdentity(name: Self.name, address: Self.address).matchKeys == [
        "name-address:\(Self.name)|\(Self.address)"
      ])
  }

  @Test("the same phone written two ways gives the same key once validated")
  func matchKeysNormalised() throws {
    let a = try ReporterIdentity.validated(
      name: nil, phone: "+86 139 1234 5678", email: nil, address: nil, idNumber: nil)
    let b = try ReporterIdentity.validated(
      name: nil, phone: "139-1234-5678", email: nil, address: nil, idNumber: nil)
    #expect(a.matchKeys == b.matchKeys)
    #expect(a.matchKeys == ["phone:\(Self.phone)"])
  }

  // MARK: storage

  @Test("Codable round-trips every field (it is stored encrypted)")
  func codable() throws {
    let data = try JSONEncoder().encode(Self.full)
    #expect(try JSONDecoder().decode(ReporterIdentity.self, from: data) == Self.full)
  }
}
