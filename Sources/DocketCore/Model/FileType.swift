/// The type of a file from its first bytes, not from its name or what the sender said: a scanned
/// letter called 举报信.pdf may be a JPEG, and a name is whatever a sender typed.
public enum FileType {
  /// The MIME type `bytes` begin as, or `application/octet-stream` when they match nothing known.
  public static func sniff(_ bytes: [UInt8]) -> String {
    func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
      bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
    }
    func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }
    if ascii("%PDF-") { return "application/pdf" }
    if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
    if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
    if ascii("GIF87a") || ascii("GIF89a") { return "image/gif" }
    if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "image/tiff" }
    if ascii("BM") && bytes.count > 14 { return "image/bmp" }
    if ascii("RIFF") && ascii("WEBP", at: 8) { return "image/webp" }
    if ascii("RIFF") && ascii("WAVE", at: 8) { return "audio/wav" }
    if ascii("#!AMR") { return "audio/amr" }
    if ascii("ID3") || starts([0xFF, 0xFB]) || starts([0xFF, 0xF3]) || starts([0xFF, 0xF2]) {
      return "audio/mpeg"
    }
    if ascii("OggS") { return "audio/ogg" }
    if ascii("ftyp", at: 4) {
      return ascii("M4A ", at: 8) ? "audio/mp4" : ascii("heic", at: 8) ? "image/heic" : "video/mp4"
    }
    if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "application/msword" }
    if starts([0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }
    if ascii("{\\rtf") { return "application/rtf" }
    if !bytes.isEmpty, bytes.count <= 1 << 20, !bytes.contains(0),
      String(validating: bytes, as: UTF8.self) != nil
    {
      return "text/plain; charset=utf-8"
    }
    return "application/octet-stream"
  }
}
