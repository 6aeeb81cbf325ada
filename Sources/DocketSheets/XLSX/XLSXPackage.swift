import Foundation
import ZIPFoundation

/// The zip archive around a workbook's XML parts, opened from memory, with its members indexed by
/// path and the limits against zip bombs enforced before and while inflating.
///
/// The central directory is read here, with every offset and length checked against the file;
/// ZIPFoundation only inflates. Its `Archive` is not used for reading: opened on a crafted file
/// (found by fuzz/run.sh) it seeks past the end of its in-memory file and then traps reading
/// there ("Range requires lowerBound <= upperBound"), taking docket down with it.
struct XLSXPackage {
  private let data: Data
  private let entries: [String: ZipMember]
  /// Part names are case-insensitive (OPC): lower-cased name to the name in the archive.
  private let folded: [String: String]

  init(_ bytes: [UInt8], limits: XLSXReader.Limits) throws(SheetError) {
    guard bytes.starts(with: [0x50, 0x4B]) else { throw .notWorkbook(Self.sniff(bytes)) }
    guard let members = ZipMember.all(in: bytes, limit: limits.members) else { throw Self.damagedArchive }
    guard members.count <= limits.members else {
      throw .tooLarge(
        "it is too large to read: the archive holds more than \(grouped(limits.members)) parts, far more than any workbook a person saves"
      )
    }
    data = Data(bytes)
    var entries: [String: ZipMember] = [:]
    var folded: [String: String] = [:]
    for member in members where !member.isDirectory {
      let path = Self.normalize(member.path)
      guard member.uncompressedSize <= limits.memberBytes else {
        throw .tooLarge(
          "it is too large to read: its part \(path) would expand to \(Self.megabytes(UInt64(member.uncompressedSize))), beyond the limit of \(Self.megabytes(UInt64(limits.memberBytes))) (a zip bomb, or far more than a handover list)"
        )
      }
      // Zip allows a name twice; the first one is the one Excel reads.
      if entries[path] == nil {
        entries[path] = member
        folded[path.lowercased()] = path
      }
    }
    self.entries = entries
    self.folded = folded
  }

  /// A file that starts as a zip archive but cannot be read as one is most likely a workbook cut
  /// off in a download or copy: damaged rather than "not a workbook".
  private static let damagedArchive = SheetError.malformed(
    "the zip archive it is packed in is cut off (not fully downloaded or copied?) or corrupt")

  func contains(_ path: String) -> Bool { entry(path) != nil }

  private func entry(_ path: String) -> ZipMember? {
    entries[path] ?? folded[path.lowercased()].flatMap { entries[$0] }
  }

  /// The member's bytes, inflated. Its header's size was checked against the limit when the archive
  /// was opened; inflating stops as soon as the bytes exceed that size, so a header that lies
  /// about a bomb costs no more memory than an honest one.
  func member(_ path: String) throws(SheetError) -> Data {
    guard let member = entry(path) else { throw .malformed("its part \(path) is missing") }
    let declared = member.uncompressedSize
    guard member.start <= data.count, member.compressedSize <= data.count - member.start else {
      throw .malformed("its part \(path) runs past the end of the archive")
    }
    let end = member.start + member.compressedSize
    let inflated: Data
    let checksum: CRC32
    switch member.method {
    case 0:
      // Stored: the bytes are the part.
      guard member.compressedSize == declared else {
        throw .malformed("its part \(path) is damaged (its checksum or size does not match)")
      }
      inflated = data.subdata(in: member.start..<end)
      checksum = inflated.crc32(checksum: 0)
    case 8:
      (inflated, checksum) = try Self.inflate(data, member.start..<end, declared: declared, path: path)
    default:
      throw .malformed("its part \(path) is compressed with a method Excel does not use")
    }
    guard checksum == member.checksum, inflated.count == declared else {
      throw .malformed("its part \(path) is damaged (its checksum or size does not match)")
    }
    return inflated
  }

  /// Inflates the deflate stream in `range`, stopping past `declared` bytes.
  private static func inflate(
    _ data: Data, _ range: Range<Int>, declared: Int, path: String
  ) throws(SheetError) -> (Data, CRC32) {
    var inflated = Data()
    inflated.reserveCapacity(declared)
    var overflowed = false
    var truncated = false
    let consumer: Consumer = { chunk in
      guard inflated.count + chunk.count <= declared else {
        overflowed = true
        throw CancellationError()
      }
      inflated.append(chunk)
    }
    do {
      // Not `archive.extract`: on Linux its inflate loop never ends when a deflate stream runs
      // into the end of the file (a crafted 133-byte file hangs it), as it reads on past the
      // member to the end of the archive and spins there. Here the stream is fed only the
      // member's own bytes, and running out of them is an error.
      var offset = range.lowerBound
      let checksum = try Data.decompress(
        size: Int64(range.count), bufferSize: Self.chunkSize, skipCRC32: false,
        provider: { _, size in
          guard offset < range.upperBound, size > 0 else {
            truncated = true
            throw CancellationError()
          }
          let next = min(range.upperBound, offset + size)
          var chunk = data.subdata(in: offset..<next)
          offset = next
          #if !(os(macOS) || os(iOS) || os(tvOS) || os(visionOS) || os(watchOS))
            // ZIPFoundation's zlib loop tells zlib every chunk is `size` bytes long.
            if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
          #endif
          return chunk
        }, consumer: consumer)
      return (inflated, checksum)
    } catch {
      if overflowed {
        throw .tooLarge(
          "it is too large to read: its part \(path) inflates to more than the \(grouped(declared)) bytes its zip header declares, as a zip bomb does"
        )
      }
      if truncated { throw .malformed("its part \(path) is cut off") }
      throw .malformed("its part \(path) cannot be unpacked (\(error))")
    }
  }

  private static let chunkSize = 64 * 1024

  /// Where the workbook part is: the package's main relationship names it (it is almost always
  /// `xl/workbook.xml`, the fallback when the relationship is missing).
  func workbookPath() throws(SheetError) -> String? {
    if contains("_rels/.rels") {
      let main = try relationships(of: "").values.first { $0.type.hasSuffix("/officeDocument") }
      if let main, contains(main.path) { return main.path }
    }
    return contains("xl/workbook.xml") ? "xl/workbook.xml" : nil
  }

  /// The relationships of the part at `source` (its `_rels/NAME.rels`; `""` for the package's
  /// own), by id, with targets resolved to member paths. External targets (links) are left out.
  func relationships(of source: String) throws(SheetError) -> [String: (type: String, path: String)] {
    let folder = source.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(
      separator: "/")
    let file = source.split(separator: "/").last.map(String.init) ?? ""
    let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + file + ".rels"
    guard contains(relsPath) else { return [:] }
    let parser = RelationshipsParser()
    try parse(try member(relsPath), part: relsPath, with: parser)
    var result: [String: (type: String, path: String)] = [:]
    for relationship in parser.relationships where !relationship.external {
      result[relationship.id] = (relationship.type, Self.resolve(relationship.target, from: source))
    }
    return result
  }

  /// A relationship target (a URI relative to the source part's folder, or absolute from the
  /// package root) as a member path.
  static func resolve(_ target: String, from source: String) -> String {
    let decoded = normalize(target.removingPercentEncoding ?? target)
    var parts = target.hasPrefix("/") ? [] : Array(source.split(separator: "/").dropLast())
    for piece in decoded.split(separator: "/") {
      switch piece {
      case "..": _ = parts.popLast()
      case ".": continue
      default: parts.append(piece)
      }
    }
    return parts.joined(separator: "/")
  }

  /// Some Windows tools write `\` in member names, and some a leading `/`.
  static func normalize(_ path: String) -> String {
    var path = path.replacingOccurrences(of: "\\", with: "/")
    while path.hasPrefix("/") { path.removeFirst() }
    return path
  }

  /// What a zip archive without a workbook is, for the error.
  func whatItIs() -> String {
    if contains("xl/workbook.bin") { return "it is an Excel binary workbook (.xlsb)" }
    if contains("word/document.xml") { return "it is a Word document" }
    if contains("ppt/presentation.xml") { return "it is a PowerPoint presentation" }
    if contains("content.xml"), contains("mimetype") {
      return "it is an OpenDocument file (.ods, WPS or LibreOffice)"
    }
    if entries.isEmpty { return "it is an empty zip archive" }
    return "it is a zip archive without a workbook inside (no xl/workbook.xml)"
  }

  /// What a file that is not a zip archive is, for the error.
  static func sniff(_ bytes: [UInt8]) -> String {
    if bytes.isEmpty { return "the file is empty" }
    if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
      // Excel also wraps a password-protected .xlsx in this compound format, as "EncryptedPackage".
      let marker = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
      if bytes.firstRange(of: marker) != nil {
        return "it is password-protected (encrypted); remove the password in Excel"
      }
      return "it is an old Excel 97-2003 .xls file"
    }
    if bytes.starts(with: Array("%PDF".utf8)) { return "it is a PDF file" }
    let text = bytes.drop { [0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0D, 0x0A].contains($0) }
    if text.first == UInt8(ascii: "<") {
      return "it is an HTML or XML file (some systems export tables that way, named .xls)"
    }
    return "it is not a zip archive, which an .xlsx file is (a CSV or text file named .xlsx?)"
  }

  static func megabytes(_ bytes: UInt64) -> String { "\(grouped(Int((bytes + (1 << 20) - 1) >> 20))) MB" }
}

/// `10000` as `10,000` whatever the process's locale, as the messages are written in English.
func grouped(_ number: Int) -> String {
  let digits = Array(String(number))
  var text = ""
  for (index, digit) in digits.enumerated() {
    if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
    text.append(digit)
  }
  return text
}

/// One member of a zip archive as its central directory and local header describe it, every
/// offset and length checked against the file.
struct ZipMember {
  var path: String
  var isDirectory: Bool
  /// 0 stored, 8 deflated.
  var method: Int
  var checksum: CRC32
  var compressedSize: Int
  var uncompressedSize: Int
  /// Where the member's data starts (after its local header); may lie past the end of a damaged
  /// file, which reading the member then says.
  var start: Int

  /// Every member in central directory order; nil without a well-formed central directory. With
  /// more than `limit` members, only `limit + 1` are read: opening the archive then says it holds
  /// too many.
  static func all(in bytes: [UInt8], limit: Int) -> [ZipMember]? {
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    func u64(_ at: Int) -> Int { u32(at) | u32(at + 4) << 32 }
    // The end record is the last 22 bytes but for a comment of at most 65,535 bytes.
    guard bytes.count >= 22 else { return nil }
    var end = bytes.count - 22
    while u32(end) != 0x0605_4B50 {
      guard end > 0, end > bytes.count - 22 - 0xFFFF else { return nil }
      end -= 1
    }
    var count = u16(end + 10)
    var offset = u32(end + 16)
    if count == 0xFFFF || offset == 0xFFFF_FFFF, end >= 20, u32(end - 20) == 0x0706_4B50 {
      let record = u64(end - 20 + 8)
      guard record >= 0, record <= bytes.count - 56, u32(record) == 0x0606_4B50 else { return nil }
      count = u64(record + 32)
      offset = u64(record + 48)
    }
    guard count >= 0 else { return nil }
    var members: [ZipMember] = []
    members.reserveCapacity(min(count, limit + 1))
    var at = offset
    for _ in 0..<min(count, limit + 1) {
      guard at >= 0, at <= bytes.count - 46, u32(at) == 0x0201_4B50 else { return nil }
      let nameLength = u16(at + 28)
      let extraLength = u16(at + 30)
      let fields = at + 46 + nameLength
      guard fields + extraLength + u16(at + 32) <= bytes.count else { return nil }
      var uncompressed = u32(at + 24)
      var compressed = u32(at + 20)
      var local = u32(at + 42)
      if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
        // ZIP64: the extra field holds, in order, the values that overflowed their 32 bits.
        var field = fields
        while field + 4 <= fields + extraLength {
          let size = u16(field + 2)
          guard field + 4 + size <= fields + extraLength else { return nil }
          if u16(field) == 0x0001 {
            var value = field + 4
            func next() -> Int? {
              guard value + 8 <= field + 4 + size else { return nil }
              defer { value += 8 }
              return u64(value)
            }
            if uncompressed == 0xFFFF_FFFF { guard let v = next() else { return nil }; uncompressed = v }
            if compressed == 0xFFFF_FFFF { guard let v = next() else { return nil }; compressed = v }
            if local == 0xFFFF_FFFF { guard let v = next() else { return nil }; local = v }
          }
          field += 4 + size
        }
      }
      // A size beyond what an Int can count (a negative one here) is no size at all.
      guard uncompressed >= 0, compressed >= 0 else { return nil }
      guard local >= 0, local <= bytes.count - 30, u32(local) == 0x0403_4B50 else { return nil }
      let nameBytes = bytes[(at + 46)..<fields]
      // Names are UTF-8 (flag bit 11) or code page 437; a workbook's parts are ASCII either way.
      let path =
        String(validating: nameBytes, as: UTF8.self)
        ?? String(String.UnicodeScalarView(nameBytes.map { Unicode.Scalar($0) }))
      members.append(
        ZipMember(
          path: path, isDirectory: path.hasSuffix("/"), method: u16(at + 10), checksum: CRC32(u32(at + 16)),
          compressedSize: compressed, uncompressedSize: uncompressed,
          start: local + 30 + u16(local + 26) + u16(local + 28)))
      at = fields + extraLength + u16(at + 32)
    }
    return members
  }
}
