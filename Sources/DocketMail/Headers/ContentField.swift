import DocketCharsets
import Foundation

/// A Content-Type or Content-Disposition field: its value and parameters, with RFC 2231
/// (charset, language, continuations) and the encoded-word filenames Outlook and Foxmail write.
struct ContentField {
  /// Lower-case: `text/plain`, `attachment`.
  var value: String
  /// Parameter names lower-case, values decoded.
  var parameters: [String: String] = [:]

  static func parse(_ text: String, _ decoder: CharsetDecoder, replaced: inout Bool) -> ContentField {
    let scalars = Array(text.unicodeScalars)
    var i = 0
    func skipSpace() {
      while i < scalars.count,
        scalars[i] == " " || scalars[i] == "\t" || scalars[i] == "\r" || scalars[i] == "\n"
      {
        i += 1
      }
    }
    func skipComment() {
      var depth = 0
      while i < scalars.count {
        if scalars[i] == "(" { depth += 1 }
        if scalars[i] == ")" { depth -= 1 }
        i += 1
        if depth <= 0 { break }
      }
    }
    var value = ""
    while i < scalars.count, scalars[i] != ";" {
      if scalars[i] == "(" {
        skipComment()
        continue
      }
      if scalars[i] != " " && scalars[i] != "\t" { value.unicodeScalars.append(scalars[i]) }
      i += 1
    }
    // name → (section → (text, extended))
    var pieces: [String: [Int: (String, Bool)]] = [:]
    var plain: [String: String] = [:]
    while i < scalars.count {
      i += 1  // the `;`
      skipSpace()
      var name = ""
      while i < scalars.count, scalars[i] != "=", scalars[i] != ";" {
        if scalars[i] != " " && scalars[i] != "\t" { name.unicodeScalars.append(scalars[i]) }
        i += 1
      }
      guard i < scalars.count, scalars[i] == "=" else { continue }
      i += 1
      skipSpace()
      var parameter = ""
      if i < scalars.count, scalars[i] == "\"" {
        i += 1
        while i < scalars.count, scalars[i] != "\"" {
          if scalars[i] == "\\", i + 1 < scalars.count { i += 1 }
          parameter.unicodeScalars.append(scalars[i])
          i += 1
        }
        i += 1
        while i < scalars.count, scalars[i] != ";" { i += 1 }
      } else {
        while i < scalars.count, scalars[i] != ";" {
          parameter.unicodeScalars.append(scalars[i])
          i += 1
        }
        parameter = parameter.trimmed
      }
      name = name.lowercased()
      guard !name.isEmpty else { continue }
      if let star = name.firstIndex(of: "*") {
        let base = String(name[..<star])
        var rest = name[name.index(after: star)...]
        let extended = rest.hasSuffix("*") || rest.isEmpty
        if rest.hasSuffix("*") { rest = rest.dropLast() }
        let section = Int(rest) ?? 0
        pieces[base, default: [:]][section] = (parameter, extended)
      } else {
        plain[name] = parameter
      }
    }
    var field = ContentField(value: value.lowercased())
    for (name, text) in plain {
      field.parameters[name] = EncodedWords.decode(text, decoder, replaced: &replaced)
    }
    for (name, sections) in pieces {
      var charset: String?
      var bytes: [UInt8] = []
      for (number, (text, extended)) in sections.sorted(by: { $0.key < $1.key }) {
        var body = Substring(text)
        if extended && number == 0 {
          // charset'language'value
          let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
          if parts.count == 3 {
            charset = parts[0].isEmpty ? nil : String(parts[0])
            body = parts[2]
          }
        }
        bytes += extended ? percentDecoded(body) : Array(body.utf8)
      }
      let decoded =
        charset.map { decoder.decode(bytes[...], label: $0) } ?? decoder.guessed(bytes[...])
      if decoded.replaced { replaced = true }
      field.parameters[name] = decoded.text
    }
    return field
  }

  private static func percentDecoded(_ text: Substring) -> [UInt8] {
    let utf8 = Array(text.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < utf8.count {
      if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count, let high = TransferEncoding.hex(utf8[i + 1]),
        let low = TransferEncoding.hex(utf8[i + 2])
      {
        out.append(high << 4 | low)
        i += 3
      } else {
        out.append(utf8[i])
        i += 1
      }
    }
    return out
  }
}
