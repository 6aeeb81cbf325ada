/// Content-Transfer-Encoding decoders (RFC 2045), lenient as mail readers must be.
enum TransferEncoding {
  /// Base64; characters outside the alphabet are skipped, a final group of 2 or 3 characters
  /// still gives its 1 or 2 bytes. `broken` is set when anything had to be skipped or was cut off.
  static func base64(_ input: ArraySlice<UInt8>) -> (bytes: [UInt8], broken: Bool) {
    var out = [UInt8](repeating: 0, count: input.count / 4 * 3 + 3)
    var written = 0
    var group: UInt32 = 0
    var count = 0
    var broken = false
    var ended = false
    // Attachments make up most of a mailbox's bytes: one table lookup per character, and writes
    // into a buffer sized up front.
    input.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        for byte in source {
          let value = base64Values[Int(byte)]
          if value < 64 {
            if ended {
              // Data after padding: some senders concatenate base64 blocks; read on, but say so.
              broken = true
              ended = false
              flush(&group, &count, target, &written)
            }
            group = group << 6 | UInt32(value)
            count += 1
            if count == 4 {
              target[written] = UInt8(truncatingIfNeeded: group >> 16)
              target[written + 1] = UInt8(truncatingIfNeeded: group >> 8)
              target[written + 2] = UInt8(truncatingIfNeeded: group)
              written += 3
              group = 0
              count = 0
            }
          } else if value == padding {
            ended = true
          } else if value != space {
            broken = true
          }
        }
        if count == 1 || (count > 1 && !ended) { broken = true }
        flush(&group, &count, target, &written)
      }
    }
    out.removeLast(out.count - written)
    return (out, broken)
  }

  private static let padding: UInt8 = 0xFD
  private static let space: UInt8 = 0xFE
  /// Each byte's value in base64, or `padding`, `space` (whitespace, skipped) or 0xFF (not base64).
  private static let base64Values: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
      .enumerated()
    {
      table[Int(character)] = UInt8(value)
    }
    table[Int(UInt8(ascii: "="))] = padding
    for whitespace in [0x20, 0x09, 0x0D, 0x0A] { table[whitespace] = space }
    return table
  }()

  private static func flush(
    _ group: inout UInt32, _ count: inout Int, _ target: UnsafeMutableBufferPointer<UInt8>,
    _ written: inout Int
  ) {
    switch count {
    case 2:
      target[written] = UInt8(truncatingIfNeeded: group >> 4)
      written += 1
    case 3:
      target[written] = UInt8(truncatingIfNeeded: group >> 10)
      target[written + 1] = UInt8(truncatingIfNeeded: group >> 2)
      written += 2
    default: break
    }
    group = 0
    count = 0
  }

  /// Quoted-printable: `=XX` is a byte, `=` at a line's end joins it to the next; an `=` that is
  /// neither is kept as written, as readers do.
  static func quotedPrintable(_ input: ArraySlice<UInt8>, header: Bool = false) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: input.count)
    var written = 0
    input.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        var i = 0
        let end = source.count
        while i < end {
          let byte = source[i]
          if byte != UInt8(ascii: "=") {
            target[written] = header && byte == UInt8(ascii: "_") ? 0x20 : byte
            written += 1
            i += 1
            continue
          }
          if i + 2 < end, let high = hex(source[i + 1]), let low = hex(source[i + 2]) {
            target[written] = high << 4 | low
            written += 1
            i += 3
            continue
          }
          // A soft line break: `=` then optional spaces then the line end (or the end of the part).
          var j = i + 1
          while j < end, source[j] == 0x20 || source[j] == 0x09 { j += 1 }
          if j < end, source[j] == 0x0D { j += 1 }
          if j < end, source[j] == 0x0A {
            i = j + 1
          } else if j == end {
            i = end
          } else {
            target[written] = byte
            written += 1
            i += 1
          }
        }
      }
    }
    out.removeLast(out.count - written)
    return out
  }

  @inline(__always) static func hex(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}
