import DocketMail
import Foundation

// A libFuzzer target for the email parser: arbitrary bytes as a raw message, and as an mbox.
//
// Built only by fuzz/run.sh (DOCKET_FUZZ=1, `-sanitize=fuzzer,address`). Besides crashes, hangs
// and memory blow-ups (which libFuzzer and the sanitizer catch), it checks what intake relies on:
// the parser either refuses the bytes with a sentence or gives a message whose every field can be
// read, whose text has LF line ends only and is not larger than the bytes could make it, and whose
// attachments are no larger than the message.

/// One parser for the whole run, as a batch intake keeps one: its charset converters are reused.
/// libFuzzer calls the target from one thread only.
nonisolated(unsafe) private let parser = MailParser()

/// libFuzzer's driver, run from this `main`: SwiftPM renames an executable's entry point (to
/// `MailFuzz_main`, so that tests can link it), which leaves libFuzzer's own `main` unused.
@main
enum MailFuzzMain {
  static func main() {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, mailFuzzOneInput))
  }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
public func mailFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  check(bytes)
  // The same bytes as an mbox: each message in it is parsed as `intake email --mbox` would.
  for message in Mbox.messages(in: bytes).prefix(64) { check(message) }
  return 0
}

private func check(_ bytes: [UInt8]) {
  let message: MailMessage
  do {
    message = try parser.parse(bytes)
  } catch {
    // A refusal must be a sentence a person can act on.
    require(!error.description.isEmpty, "an empty refusal")
    return
  }
  var seen = 0
  seen &+= message.messageID?.utf8.count ?? 0
  seen &+= message.from.map { ($0.name?.utf8.count ?? 0) + $0.address.utf8.count } ?? 0
  for address in message.to + message.cc {
    seen &+= (address.name?.utf8.count ?? 0) + address.address.utf8.count
  }
  seen &+= message.subject?.utf8.count ?? 0
  seen &+= message.date.map { Int($0.timeIntervalSince1970) } ?? 0
  seen &+= message.inReplyTo?.utf8.count ?? 0
  for reference in message.references { seen &+= reference.utf8.count }
  seen &+= message.text.utf8.count
  var attached = 0
  for attachment in message.attachments {
    seen &+= attachment.filename?.utf8.count ?? 0
    seen &+= attachment.contentType.utf8.count
    // The hash intake stores the attachment under.
    require(attachment.sha256.utf8.count == 64, "a SHA-256 that is not 64 hex digits")
    attached += attachment.data.count
  }
  for warning in message.warnings { seen &+= warning.description.utf8.count }
  require(seen != Int.min)

  // The text's lines end in LF (the documented contract, and what the ledger shows).
  require(!message.text.utf8.contains(0x0D), "a carriage return in the text")
  // Decoding never makes more than 4 bytes of UTF-8 text out of one byte of the message.
  require(message.text.utf8.count <= bytes.count * 4 + 16, "text larger than the message could make")
  // Attachments are decoded slices of the message: together never larger than it.
  require(attached <= bytes.count, "attachments larger than the message")
  // Each warning is said once.
  for (index, warning) in message.warnings.enumerated() {
    require(!message.warnings[..<index].contains(warning), "a warning repeated")
  }
}

/// A property the target checks: a failure stops the run with the sentence (which `precondition`
/// drops in an optimized build) and libFuzzer keeps the input.
func require(_ condition: Bool, _ message: @autoclosure () -> String = "") {
  if !condition { fatalError(message()) }
}
