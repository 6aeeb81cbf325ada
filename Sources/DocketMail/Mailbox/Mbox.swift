/// An mbox file: messages each after a `From ` line, with `>From ` quoting undone (mboxrd, which
/// also reads mboxo).
public enum Mbox {
  public static func messages(in bytes: [UInt8]) -> [[UInt8]] {
    var messages: [[UInt8]] = []
    var current: [UInt8]?
    var lineStart = 0
    var previousBlank = true
    while lineStart < bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      let next = min(lineEnd + 1, bytes.count)
      let line = bytes[lineStart..<next]
      if previousBlank, line.starts(with: "From ".utf8) {
        if let message = current { messages.append(trimmed(message)) }
        current = []
      } else if current != nil {
        // mboxrd: `>From `, `>>From ` … lose one `>`.
        var quotes = line.startIndex
        while quotes < line.endIndex, line[quotes] == UInt8(ascii: ">") { quotes += 1 }
        if quotes > line.startIndex, line[quotes...].starts(with: "From ".utf8) {
          current!.append(contentsOf: line.dropFirst())
        } else {
          current!.append(contentsOf: line)
        }
      }
      let content = bytes[lineStart..<lineEnd]
      previousBlank = content.isEmpty || (content.count == 1 && content.first == 0x0D)
      lineStart = next
    }
    if let message = current { messages.append(trimmed(message)) }
    return messages
  }

  /// Without the blank line mbox puts before the next `From `.
  private static func trimmed(_ message: [UInt8]) -> [UInt8] {
    var message = message
    if message.last == 0x0A {
      var end = message.count - 1
      if end > 0, message[end - 1] == 0x0D { end -= 1 }
      if end > 0, message[end - 1] == 0x0A { message.removeSubrange(end...) }
    }
    return message
  }
}
