/// Content-Transfer-Encoding decoders (RFC 2045), lenient as mail readers must be.
enum TransferEncoding {
  /// Base64; characters outside the alphabet are skipped, a final group of 2 or 3 characters
  /// still gives its 1 or 2 bytes. `broken` is set when anything had to be skipped or was cut off.
  static func base64(_ input: ArraySlice<UInt8>) -> (bytes: [UInt8], broken: Bool) {
    var out: [UInt8] = []
    out.reserveCapacity(input.count * 3 / 4)
    var group: UInt32 = 0
    var count = 0
    var broken = false
    var ended = false
    for byte in input {
      let value: UInt8
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
      case UInt8(ascii: "+"): value = 62
      case UInt8(ascii: "/"): value = 63
      case UInt8(ascii: "="):
        ended = true
        continue
      case 0x20, 0x09, 0x0D, 0x0A: continue
      default:
        broken = true
        continue
      }
      if ended {
        // Data after padding: some senders concatenate base64 blocks; read on, but say so.
        broken = true
        ended = false
        flush(&group, &count, &out)
      }
      group = group << 6 | UInt32(value)
      count += 1
      if count == 4 {
        out.append(UInt8(truncatingIfNeeded: group >> 16))
        out.append(UInt8(truncatingIfNeeded: group >> 8))
        out.append(UInt8(truncatingIfNeeded: group))
        group = 0
        count = 0
      }
    }
    if count == 1 || (count > 1 && !ended) { broken = true }
    flush(&group, &count, &out)
    return (out, broken)
  }

  private static func flush(_ group: inout UInt32, _ count: inout Int, _ out: inout [UInt8]) {
    switch count {
    case 2: out.append(UInt8(truncatingIfNeeded: group >> 4))
    case 3:
      out.append(UInt8(truncatingIfNeeded: group >> 10))
      out.append(UInt8(truncatingIfNeeded: group >> 2))
    default: break
    }
    group = 0
    count = 0
  }

  /// Quoted-printable: `=XX` is a byte, `=` at a line's end joins it to the next; an `=` that is
  /// neither is kept as written, as readers do.
  static func quotedPrintable(_ input: ArraySlice<UInt8>, header: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(input.count)
    var i = input.startIndex
    let end = input.endIndex
    while i < end {
      let byte = input[i]
      if byte == UInt8(ascii: "=") {
        if i + 2 < end, let high = hex(input[i + 1]), let low = hex(input[i + 2]) {
          out.append(high << 4 | low)
          i += 3
          continue
        }
        // A soft line break: `=` then optional spaces then the line end.
        var j = i + 1
        while j < end, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
        if j < end, input[j] == 0x0D { j += 1 }
        if j < end, input[j] == 0x0A {
          i = j + 1
          continue
        }
        if j == end {
          i = end
          continue
        }
        out.append(byte)
        i += 1
      } else if header && byte == UInt8(ascii: "_") {
        out.append(0x20)
        i += 1
      } else {
        out.append(byte)
        i += 1
      }
    }
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
