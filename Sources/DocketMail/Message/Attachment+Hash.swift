import Crypto

extension MailAttachment {
  /// SHA-256 of the content, lower-case hex: how docket stores an attachment once however often it arrives.
  public var sha256: String { Self.hex(SHA256.hash(data: data)) }

  static func hex(_ digest: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

extension MailMessage {
  /// SHA-256 of a message's raw bytes in hex: its identity when it has no Message-ID.
  public static func sha256(ofRaw raw: [UInt8]) -> String { MailAttachment.hex(SHA256.hash(data: raw)) }
}
