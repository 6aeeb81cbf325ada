import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns bytes in a declared charset into text, through glibc's iconv, keeping one converter per
/// charset for the life of the decoder.
///
/// Shared by email (every charset a mail client labels) and handover lists (CSV saved by Excel as
/// UTF-8 or GB18030). Not thread-safe: each parse owns its decoder (or a batch reuses one on one
/// thread).
public final class CharsetDecoder {
  /// What became of one decode: the text, whether bytes had to be replaced by U+FFFD, and whether
  /// the label was unknown (the bytes were then read as UTF-8, else GB18030).
  public struct Result: Sendable {
    public var text: String
    public var replaced: Bool
    public var unknownLabel: Bool
  }

  public init() {}

  private var converters: [String: iconv_t] = [:]
  private var unknown: Set<String> = []

  deinit {
    for converter in converters.values { iconv_close(converter) }
  }

  /// The iconv name docket reads a label as. Every GB label is read as GB18030, its superset,
  /// because Chinese mail labelled gb2312 routinely carries GBK characters.
  public static func canonical(_ label: String) -> String {
    var name = label.lowercased().trimmingCharacters(in: .whitespaces)
    if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
      name = String(name.dropFirst().dropLast())
    }
    switch name {
    case "gb2312", "gbk", "cp936", "x-gbk", "gb18030", "gb_2312-80", "gb_2312", "euc-cn", "csgb2312", "ms936",
      "windows-936", "x-euc-cn", "chinese", "iso-ir-58", "csgbk":
      return "GB18030"
    case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "":
      return "UTF-8"
    case "big5", "x-big5", "cn-big5", "csbig5", "big-5", "cp950", "windows-950":
      // BIG5-HKSCS reads plain Big5 and the Hong Kong additions Taiwanese and Hong Kong mail uses.
      return "BIG5-HKSCS"
    case "latin1", "latin-1", "l1": return "ISO-8859-1"
    case "ks_c_5601-1987", "euc-kr", "cp949", "windows-949": return "CP949"
    default: return name.uppercased()
    }
  }

  /// Decodes `bytes` declared as `label` (nil: as for an unlabelled text part, UTF-8 else GB18030).
  public func decode(_ bytes: ArraySlice<UInt8>, label: String?) -> Result {
    let name = label.map(Self.canonical) ?? "UTF-8"
    if bytes.allSatisfy({ $0 < 0x80 }) {
      // Still say when the label is unknown: the sender's software may have written something else.
      let known = name == "UTF-8" || name == "GB18030" || converter(name) != nil
      return Result(text: String(decoding: bytes, as: UTF8.self), replaced: false, unknownLabel: !known)
    }
    if name == "UTF-8" {
      // Mail labelled ascii or unlabelled but carrying 8-bit bytes is, in practice, UTF-8 or GBK.
      if label.map(Self.isASCIILabel) ?? true {
        return guessed(bytes, unknownLabel: false)
      }
      return utf8(bytes)
    }
    if name == "GB18030" || name == "BIG5-HKSCS" || converter(name) != nil {
      let (text, replaced) = convert(bytes, from: name)
      return Result(text: text, replaced: replaced, unknownLabel: false)
    }
    return guessed(bytes, unknownLabel: true)
  }

  /// Raw 8-bit bytes where only ASCII belongs (header fields): UTF-8 when they are valid UTF-8,
  /// else GB18030, the two encodings Chinese mail clients write.
  public func guessed(_ bytes: ArraySlice<UInt8>, unknownLabel: Bool = false) -> Result {
    if let text = String(validating: bytes, as: UTF8.self) {
      return Result(text: text, replaced: false, unknownLabel: unknownLabel)
    }
    let (text, replaced) = convert(bytes, from: "GB18030")
    return Result(text: text, replaced: replaced, unknownLabel: unknownLabel)
  }

  static func isASCIILabel(_ label: String) -> Bool {
    ["us-ascii", "ascii", "ansi_x3.4-1968"].contains(label.lowercased().trimmingCharacters(in: .whitespaces))
  }

  private func utf8(_ bytes: ArraySlice<UInt8>) -> Result {
    if let text = String(validating: bytes, as: UTF8.self) {
      return Result(text: text, replaced: false, unknownLabel: false)
    }
    return Result(text: String(decoding: bytes, as: UTF8.self), replaced: true, unknownLabel: false)
  }

  /// At most this many converters stay open, and this many unknown labels are remembered.
  ///
  /// glibc opens a converter for any suffix after a known name (`utf-8//x1`, `utf-8//x2` …), so
  /// the labels of a mailbox are not a small set: a decoder reused for a hostile mbox kept one
  /// converter per label it had ever seen, without end (found in review for issue 8: a message
  /// with 20,000 such labels held 20,000 converters). Past the limit the cache starts again; real
  /// mail uses a handful of charsets.
  static let cacheLimit = 64

  /// How many converters are open, for tests.
  var openConverters: Int { converters.count }

  private func converter(_ name: String) -> iconv_t? {
    if let open = converters[name] { return open }
    if unknown.contains(name) { return nil }
    if converters.count >= Self.cacheLimit {
      for converter in converters.values { iconv_close(converter) }
      converters.removeAll()
    }
    if unknown.count >= Self.cacheLimit * 16 { unknown.removeAll() }
    let converter = iconv_open("UTF-8", name)
    guard let converter, converter != iconv_t(bitPattern: -1) else {
      unknown.insert(name)
      return nil
    }
    converters[name] = converter
    return converter
  }

  /// iconv from `name` to UTF-8; a sequence it cannot read becomes U+FFFD and decoding goes on
  /// from the next byte.
  private func convert(_ bytes: ArraySlice<UInt8>, from name: String) -> (String, Bool) {
    guard let converter = converter(name) else {
      return (String(decoding: bytes, as: UTF8.self), true)
    }
    iconv(converter, nil, nil, nil, nil)
    var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
    var written = 0
    var replaced = false
    var input = Array(bytes)
    input.withUnsafeMutableBufferPointer { inBuffer in
      var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
      var inLeft = inBuffer.count
      while inLeft > 0 {
        if output.count - written < 16 { output.append(contentsOf: repeatElement(0, count: output.count)) }
        let (result, error): (Int, Int32) = output.withUnsafeMutableBufferPointer { outBuffer in
          var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(
            outBuffer.baseAddress! + written
          )
          .assumingMemoryBound(to: CChar.self)
          var outLeft = outBuffer.count - written
          var inOptional: UnsafeMutablePointer<CChar>? = inPointer
          let result = iconv(converter, &inOptional, &inLeft, &outPointer, &outLeft)
          let error = errno
          inPointer = inOptional!
          written = outBuffer.count - outLeft
          return (result, error)
        }
        if result != -1 { break }
        switch error {
        case E2BIG:
          output.append(contentsOf: repeatElement(0, count: output.count))
        case EILSEQ, EINVAL:
          // A byte that starts no character here (or a character cut off at the end): mark it, skip it.
          if output.count - written < 3 { output.append(contentsOf: repeatElement(0, count: 16)) }
          output[written] = 0xEF
          output[written + 1] = 0xBF
          output[written + 2] = 0xBD
          written += 3
          replaced = true
          inPointer += 1
          inLeft -= 1
          iconv(converter, nil, nil, nil, nil)
        default:
          replaced = true
          inLeft = 0
        }
      }
    }
    return (String(decoding: output[0..<written], as: UTF8.self), replaced)
  }
}
