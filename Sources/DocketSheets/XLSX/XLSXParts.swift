import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A streaming handler for one XML part of the workbook.
protocol PartHandler: XMLParserDelegate {
  /// Set (and the parse aborted) when the part's content is wrong in a way the reader must refuse.
  var failure: SheetError? { get }
  /// Whether the root element closed. XMLParser itself would not say: it recovers from errors and
  /// never tells libxml2 that the input has ended, so a part cut off mid-way parses "successfully".
  var finished: Bool { get }
}

/// Runs `handler` over the XML of `part`, as a stream of events: no tree is built.
func parse(_ xml: Data, part: String, with handler: some PartHandler) throws(SheetError) {
  // XMLParser on Linux traps on a name or value that is not UTF-8, which libxml2 hands on from a
  // part it has already found broken: a 5-byte worksheet `<\u{FF}ns>` took docket down (found by
  // fuzz/run.sh). Excel writes every part in UTF-8; anything else is refused before parsing, and
  // that also keeps a DTD from hiding in UTF-16 from the check below.
  guard xml.withUnsafeBytes({ CSVReader.isUTF8($0.bindMemory(to: UInt8.self)) }) else {
    throw .malformed("its part \(part) is not UTF-8 text, as Excel writes it")
  }
  if let encoding = declaredEncoding(xml), !["utf-8", "utf8"].contains(encoding.lowercased()) {
    throw .malformed("its part \(part) is declared as \(encoding), not the UTF-8 Excel writes")
  }
  if declaresDTD(xml) {
    // Excel never writes one; entity declarations are what an XML bomb needs.
    throw .malformed("its part \(part) declares a DTD, which Excel never writes")
  }
  if hasProcessingInstruction(xml) {
    // XMLParser on Linux reads the NULL that libxml2 hands it for an instruction without data
    // (`<?name?>`) as a C string, and dies of it (found by fuzz/run.sh). Excel writes none.
    throw .malformed("its part \(part) has a processing instruction (<?…?>), which Excel never writes")
  }
  // From a stream XMLParser feeds libxml2 in chunks; handed the whole Data it fails on parts over
  // 10 MB (libxml2's "huge input" limit), which a large list's sheet is.
  #if canImport(FoundationXML)
    let parser = XMLParser(stream: DataInputStream(xml))
  #else
    let parser = XMLParser(stream: InputStream(data: xml))
  #endif
  parser.shouldProcessNamespaces = true
  parser.delegate = handler
  let parsed = parser.parse()
  if let failure = handler.failure { throw failure }
  guard parsed, handler.finished else {
    throw .malformed("its part \(part) is not well-formed XML (line \(parser.lineNumber))")
  }
}

#if canImport(FoundationXML)
  /// The bytes of a `Data` as a stream, without the copy `InputStream(data:)` makes in
  /// swift-corelibs-foundation (a large list's sheet is 100 MB of XML).
  private final class DataInputStream: InputStream {
    private let data: Data
    private var offset = 0

    init(_ data: Data) {
      self.data = data
      super.init(data: Data())
    }

    override func open() {}
    override func close() {}
    override var hasBytesAvailable: Bool { offset < data.count }
    override var streamStatus: Stream.Status { offset < data.count ? .open : .atEnd }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
      let count = min(maxLength, data.count - offset)
      let start = data.startIndex + offset
      data.copyBytes(to: buffer, from: start..<(start + count))
      offset += count
      return count
    }
  }
#endif

/// The `encoding` of the XML declaration (`<?xml version="1.0" encoding="UTF-8"?>`), if it has one.
func declaredEncoding(_ xml: Data) -> String? {
  xml.withUnsafeBytes { raw -> String? in
    let bytes = raw.bindMemory(to: UInt8.self)
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    guard bytes[start...].starts(with: "<?xml".utf8), let close = bytes[start...].firstRange(of: "?>".utf8)
    else { return nil }
    let declaration = String(decoding: bytes[start..<close.lowerBound], as: UTF8.self)
    guard let name = declaration.range(of: "encoding") else { return nil }
    let rest = declaration[name.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
    guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
    return String(rest.dropFirst().prefix { $0 != quote })
  }
}

/// Whether the prolog (before the root element) has a `<!DOCTYPE`.
func declaresDTD(_ xml: Data) -> Bool {
  xml.withUnsafeBytes { raw -> Bool in
    let bytes = raw.bindMemory(to: UInt8.self)
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    func at(_ text: String) -> Bool { bytes[index...].starts(with: text.utf8) }
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0D, 0x0A: index += 1
      case UInt8(ascii: "<"):
        if at("<!DOCTYPE") { return true }
        let close: String
        if at("<?") {
          close = "?>"
        } else if at("<!--") {
          close = "-->"
        } else {
          return false
        }
        guard let end = bytes[index...].firstRange(of: close.utf8) else { return false }
        index = end.upperBound
      default: return false
      }
    }
    return false
  }
}

/// Whether the part has a processing instruction (`<?target …?>`) other than the XML declaration
/// at its start. `<?` inside a comment or a CDATA section is text, and skipped; anywhere else a
/// `<` is markup.
func hasProcessingInstruction(_ xml: Data) -> Bool {
  xml.withUnsafeBytes { raw -> Bool in
    let bytes = raw.bindMemory(to: UInt8.self)
    let declaration = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var index = 0
    while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
      func at(_ text: String) -> Bool { bytes[open...].starts(with: text.utf8) }
      let close: String
      if at("<!--") {
        close = "-->"
      } else if at("<![CDATA[") {
        close = "]]>"
      } else if at("<?") {
        let isDeclaration =
          open == declaration && at("<?xml") && open + 5 < bytes.count
          && [0x20, 0x09, 0x0D, 0x0A].contains(bytes[open + 5])
        guard isDeclaration else { return true }
        close = "?>"
      } else {
        index = open + 1
        continue
      }
      guard let end = bytes[(open + 2)...].firstRange(of: close.utf8) else { return false }
      index = end.upperBound
    }
    return false
  }
}

/// Excel writes characters XML cannot carry (and CR, so that it survives line-end normalising) as
/// `_xHHHH_`, and a literal `_xHHHH_` as `_x005F_xHHHH_`; this undoes both.
func decodeEscapes(_ text: String) -> String {
  guard text.utf8.contains(UInt8(ascii: "_")) else { return text }
  let bytes = Array(text.utf8)
  func escape(at index: Int) -> UInt32? {
    guard index + 7 <= bytes.count, bytes[index] == UInt8(ascii: "_"), bytes[index + 1] == UInt8(ascii: "x"),
      bytes[index + 6] == UInt8(ascii: "_")
    else { return nil }
    var value: UInt32 = 0
    for byte in bytes[(index + 2)..<(index + 6)] {
      guard let digit = hexDigit(byte) else { return nil }
      value = value << 4 | digit
    }
    return value
  }
  var decoded: [UInt8] = []
  decoded.reserveCapacity(bytes.count)
  var changed = false
  var index = 0
  while index < bytes.count {
    if let value = escape(at: index) {
      var scalar = Unicode.Scalar(value)
      var length = 7
      if (0xD800..<0xDC00).contains(value), let low = escape(at: index + 7), (0xDC00..<0xE000).contains(low) {
        scalar = Unicode.Scalar(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))
        length = 14
      }
      if let scalar {
        decoded.append(contentsOf: String(Character(scalar)).utf8)
        index += length
        changed = true
        continue
      }
    }
    decoded.append(bytes[index])
    index += 1
  }
  return changed ? String(decoding: decoded, as: UTF8.self) : text
}

private func hexDigit(_ byte: UInt8) -> UInt32? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
  case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
  case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
  default: nil
  }
}

/// The attribute in the relationships namespace, whatever prefix the writer bound it to (`r:id`
/// from Excel, `ns1:id` or the like from other libraries).
private func relationshipID(_ attributes: [String: String]) -> String? {
  attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value
}

/// `xl/workbook.xml`: the sheets in tab order.
final class WorkbookParser: NSObject, PartHandler {
  private(set) var sheets: [(name: String, id: String, hidden: Bool)] = []
  /// Whether dates count from 1904 (old Mac Excel) rather than 1900.
  private(set) var date1904 = false
  private(set) var failure: SheetError?
  private(set) var finished = false
  private var depth = 0

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String]
  ) {
    depth += 1
    if elementName == "workbookPr" || elementName.hasSuffix(":workbookPr") {
      date1904 = ["1", "true"].contains(attributes["date1904"]?.lowercased() ?? "")
    }
    guard elementName == "sheet" || elementName.hasSuffix(":sheet") else { return }
    guard let name = attributes["name"], let id = relationshipID(attributes) else {
      failure = .malformed("its workbook part lists a sheet without a name or a relationship")
      parser.abortParsing()
      return
    }
    let state = attributes["state"]
    sheets.append((name, id, state == "hidden" || state == "veryHidden"))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
  ) {
    depth -= 1
    if depth == 0 { finished = true }
  }
}

/// A `_rels/*.rels` part: which part each relationship id points to.
final class RelationshipsParser: NSObject, PartHandler {
  private(set) var relationships: [(id: String, type: String, target: String, external: Bool)] = []
  let failure: SheetError? = nil
  private(set) var finished = false
  private var depth = 0

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String]
  ) {
    depth += 1
    guard elementName == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else {
      return
    }
    relationships.append((id, attributes["Type"] ?? "", target, attributes["TargetMode"] == "External"))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
  ) {
    depth -= 1
    if depth == 0 { finished = true }
  }
}

/// `xl/sharedStrings.xml`: the text of every `t="s"` cell, by index. A string is its `<t>`, or
/// the `<t>` of its rich-text runs joined; phonetic guides (`<rPh>`, furigana) are not part of it.
final class SharedStringsParser: NSObject, PartHandler {
  private(set) var strings: [String] = []
  private(set) var failure: SheetError? = nil
  private(set) var finished = false
  private var depth = 0
  private var inItem = false
  private var inText = false
  private var phonetic = 0
  private var text = ""

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String]
  ) {
    depth += 1
    switch elementName {
    case "t": inText = inItem && phonetic == 0
    case "si":
      inItem = true
      text = ""
    case "rPh": phonetic += 1
    case "sst":
      // The count is the writer's claim: a guide for the array, capped so a lie costs nothing.
      if let count = attributes["uniqueCount"].flatMap({ Int($0) }) {
        strings.reserveCapacity(min(count, 1 << 20))
      }
    default: break
    }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
  ) {
    depth -= 1
    if depth == 0 { finished = true }
    switch elementName {
    case "t": inText = false
    case "si":
      strings.append(decodeEscapes(text))
      text = ""
      inItem = false
    case "rPh": phonetic -= 1
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inText { text += string }
  }

  func parser(_ parser: XMLParser, foundCDATA block: Data) {
    if inText { text += String(decoding: block, as: UTF8.self) }
  }
}
