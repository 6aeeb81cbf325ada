import DocketService
import Foundation

/// Long work's progress on standard error: on a terminal a line redrawn as the work goes (count,
/// rate, time left), and for work that took a second or more one summary line at the end, which is
/// all a log or a pipe gets. Standard output stays the command's result.
final class ProgressLine: @unchecked Sendable {
  static let shared = ProgressLine()

  private let lock = NSLock()
  private let terminal = isatty(STDERR_FILENO) == 1
  private var started: [String: Date] = [:]
  private var drawn = Date.distantPast

  func report(_ report: ProgressReport) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    let start = started[report.work] ?? now
    if started[report.work] == nil { started[report.work] = now }
    let seconds = now.timeIntervalSince(start)
    let rate = seconds > 0 ? Double(report.done) / seconds : 0
    if report.finished {
      started[report.work] = nil
      if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
      guard seconds >= 1 else { return }
      complain(
        "\(report.work): \(Self.count(report.done)) \(report.unit) in \(String(format: "%.1f", seconds)) s (\(Self.count(Int(rate)))/s)"
      )
      return
    }
    // A redraw at most five times a second, and never into a log.
    guard terminal, now.timeIntervalSince(drawn) >= 0.2 else { return }
    drawn = now
    var line = "\(report.work): \(Self.count(report.done))"
    if let total = report.total, total > 0 {
      line += " / \(Self.count(total)) \(report.unit) (\(report.done * 100 / total)%)"
      if rate > 0, total > report.done {
        line +=
          ", \(Self.count(Int(rate)))/s, about \(Int((Double(total - report.done) / rate).rounded(.up))) s left"
      }
    } else {
      line += " \(report.unit)" + (rate > 0 ? ", \(Self.count(Int(rate)))/s" : "")
    }
    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
  }

  /// 200,000 rather than 200000.
  static func count(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }
}
