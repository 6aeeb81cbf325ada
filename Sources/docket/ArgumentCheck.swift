import Foundation

extension DocketTool {
  /// Runs docket after checking that every argument is text it can store.
  ///
  /// Swift reads the arguments as UTF-8 and silently turns bytes that are not into U+FFFD, so
  /// `--subject` in GBK from a misconfigured terminal or script was registered as "��", and a file
  /// name in GBK was reported as a different, missing file. Control characters (an escape
  /// sequence in a subject would replay on every terminal that lists it) are refused too. The
  /// sentence names the argument but never quotes it: it may be a reporter's name or number.
  static func main() {
    let arguments = (1..<Int(CommandLine.argc)).map { index in
      CommandLine.unsafeArgv[index].map { pointer in
        Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
      } ?? []
    }
    if let problem = ArgumentCheck.problem(arguments) {
      FileHandle.standardError.write(Data((problem + "\n").utf8))
      Foundation.exit(64)
    }
    main(nil)
  }
}

enum ArgumentCheck {
  /// The sentence refusing the first argument that is not UTF-8 text or holds a control character
  /// other than tab and line breaks; nil when all are fine.
  static func problem(_ arguments: [[UInt8]]) -> String? {
    for (index, bytes) in arguments.enumerated() {
      let which = describe(index, arguments)
      guard let text = String(validating: bytes, as: UTF8.self) else {
        return
          "\(which) is not UTF-8 text (a GBK terminal or script, or a file name in GBK?); docket reads its arguments as UTF-8: set the terminal or script to UTF-8, or rename the file."
      }
      if let control = text.unicodeScalars.first(where: isRefusedControl) {
        let code = String(control.value, radix: 16, uppercase: true)
        return
          "\(which) holds the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code), which no field takes; remove it and try again."
      }
    }
    return nil
  }

  /// `argument 8 (the value of --subject)`, or `argument 2 (intake)`-like wording without the value.
  private static func describe(_ index: Int, _ arguments: [[UInt8]]) -> String {
    if index > 0, let option = String(validating: arguments[index - 1], as: UTF8.self),
      option.hasPrefix("--"),
      !option.contains("="), option.count > 2
    {
      return "Argument \(index + 1) (the value of \(option))"
    }
    return "Argument \(index + 1)"
  }

  private static func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: false
    case 0x00...0x1F, 0x7F...0x9F: true
    default: false
    }
  }
}
