extension Sequence where Element == UInt8 {
  /// Lower-case hexadecimal, for hashes and key fingerprints.
  public var hex: String {
    let bytes = Array(self)
    // Written straight into the string's storage: a batch writes this for every journal event.
    return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
      for (index, byte) in bytes.enumerated() {
        out[2 * index] = Self.hexDigit(byte >> 4)
        out[2 * index + 1] = Self.hexDigit(byte & 0xF)
      }
      return bytes.count * 2
    }
  }

  private static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 48 + nibble : 87 + nibble
  }
}
