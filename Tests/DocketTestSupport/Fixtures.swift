import DocketCore
import DocketService
import Foundation

/// A small office: units, a registrar, two handlers, a leader, a case officer and an auditor.
public struct Office {
  public static let units = ["第一纪检监察室", "第二纪检监察室", "市公安局"]

  public static func staff(_ docket: Docket) throws {
    for unit in units { _ = try docket.addUnit(unit, actor: "admin") }
    _ = try docket.addStaff(login: "reg", name: "登记员", roles: [.registrar], unit: nil, actor: "admin")
    _ = try docket.addStaff(login: "h1", name: "承办一", roles: [.handler], unit: "第一纪检监察室", actor: "admin")
    _ = try docket.addStaff(login: "h2", name: "承办二", roles: [.handler], unit: "第二纪检监察室", actor: "admin")
    _ = try docket.addStaff(login: "boss", name: "分管领导", roles: [.leader], unit: nil, actor: "admin")
    _ = try docket.addStaff(login: "cm", name: "案管", roles: [.caseOffice], unit: nil, actor: "admin")
    _ = try docket.addStaff(login: "aud", name: "审计", roles: [.auditor], unit: nil, actor: "admin")
  }

  /// An intake request with the usual fields filled in.
  public static func call(
    subject: String = "反映某局长收受红包", kind: Kind = .accusation, at: Date? = nil, name: String? = "张三丰",
    phone: String? = "13800138000", accused: String? = "王某", accusedUnit: String? = "市公安局"
  ) -> IntakeRequest {
    var request = IntakeRequest(channel: .phone, subject: subject)
    request.kind = kind
    request.receivedAt = at
    request.reporterName = name
    request.reporterPhone = phone
    if let accused { request.accused = [AccusedInput(name: accused, unit: accusedUnit, rank: "副局长")] }
    return request
  }
}

/// A time in Beijing, for readable tests.
public func beijing(_ text: String) -> Date {
  try! OfficeTime.beijing.parse(text)
}
