import Crypto
import DocketCore

extension MailAttachment {
  /// SHA-256 of the content, lower-case hex: how docket stores an attachment once however often it arrives.
  public var sha256: String { Array(SHA256.hash(data: data)).hex }
}
