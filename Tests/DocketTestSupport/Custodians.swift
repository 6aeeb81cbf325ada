import DocketCore
import DocketService
import Foundation

extension Docket {
  /// Reveals as the acting custodian with the test passphrase (``TestDocket/passphrase``), as a
  /// leader from ``TestDocket/person(_:)`` has it; `with` names a second custodian present.
  public func reveal(_ ref: String, reason: String, actor login: String?, with other: String? = nil)
    throws(DocketError) -> ReporterIdentity
  {
    try reveal(ref, reason: reason, custodians: try testCustodians(login, other), actor: login)
  }

  /// Exports identities as the acting custodian with the test passphrase.
  public func revealForExport(_ items: [Item], reason: String, actor login: String?) throws(DocketError)
    -> [Int64: ReporterIdentity]
  {
    try revealForExport(items, reason: reason, custodians: try testCustodians(login), actor: login)
  }

  /// Tries a quarantined message again, the keeper (``TestDocket/keeper``) opening it.
  public func retryQuarantined(_ id: Int64, actor login: String?) throws(DocketError) -> EmailIntakeResult {
    try retryQuarantined(
      id, custodians: [CustodianPassphrase(login: TestDocket.keeper, passphrase: TestDocket.passphrase)],
      actor: login)
  }

  /// The actor's, and `other`'s, passphrases as a test's custodians have them.
  public func testCustodians(_ login: String?, _ other: String? = nil) throws(DocketError)
    -> [CustodianPassphrase]
  {
    let me = try actor(login).login
    return ([me] + (other.map { [$0] } ?? [])).map {
      CustodianPassphrase(login: $0, passphrase: TestDocket.passphrase)
    }
  }
}
