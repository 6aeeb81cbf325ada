import DocketService
import Foundation

extension ReportDocument {
  /// Received and closed as bars and the closure rate as a line, for the last twelve months.
  func chart() -> String {
    let width = 960.0
    let height = 300.0
    let left = 50.0
    let right = 50.0
    let top = 20.0
    let bottom = 40.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let history = report.history
    let peak = max(1, history.map { max($0.figures.received, $0.figures.closed) }.max() ?? 1)
    // A round top for the count axis: 1, 2 or 5 times a power of ten.
    var scale = 1.0
    while Double(peak) > scale * 5 { scale *= 10 }
    let axisTop = [1.0, 2.0, 5.0, 10.0].map { $0 * scale }.first { $0 >= Double(peak) } ?? Double(peak)
    let slot = plotWidth / Double(max(history.count, 1))
    let barWidth = slot * 0.32
    func y(_ count: Int) -> Double { top + plotHeight * (1 - Double(count) / axisTop) }
    func rateY(_ rate: Double) -> Double { top + plotHeight * (1 - rate) }
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" aria-label="\(Self.escape(zh ? "近12个月收件、办结与办结率" : "Received, closed and closure rate, last 12 months"))" font-size="11" font-family="sans-serif">
      """
    for step in 0...4 {
      let value = axisTop * Double(step) / 4
      let lineY = top + plotHeight * (1 - Double(step) / 4)
      svg += "<line x1=\"\(left)\" y1=\"\(lineY)\" x2=\"\(width - right)\" y2=\"\(lineY)\" stroke=\"#ddd\"/>"
      svg +=
        "<text x=\"\(left - 6)\" y=\"\(lineY + 4)\" text-anchor=\"end\" fill=\"#555\">\(Int(value))</text>"
      svg += "<text x=\"\(width - right + 6)\" y=\"\(lineY + 4)\" fill=\"#b00\">\(step * 25)%</text>"
    }
    var points: [String] = []
    for (index, entry) in history.enumerated() {
      let x = left + slot * Double(index) + slot / 2
      let figures = entry.figures
      svg +=
        "<rect x=\"\(x - barWidth)\" y=\"\(y(figures.received))\" width=\"\(barWidth)\" height=\"\(top + plotHeight - y(figures.received))\" fill=\"#7aa6d8\"><title>\(entry.month) \(zh ? "收件" : "received") \(figures.received)</title></rect>"
      svg +=
        "<rect x=\"\(x)\" y=\"\(y(figures.closed))\" width=\"\(barWidth)\" height=\"\(top + plotHeight - y(figures.closed))\" fill=\"#2f6b3a\"><title>\(entry.month) \(zh ? "办结" : "closed") \(figures.closed)</title></rect>"
      svg +=
        "<text x=\"\(x)\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\" fill=\"#333\">\(entry.month.month)\(zh ? "月" : "")</text>"
      if let rate = figures.closureRate {
        points.append("\(x),\(rateY(rate))")
        svg +=
          "<circle cx=\"\(x)\" cy=\"\(rateY(rate))\" r=\"3\" fill=\"#b00\"><title>\(entry.month) \(Self.percent(rate))</title></circle>"
      }
    }
    if points.count > 1 {
      svg +=
        "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#b00\" stroke-width=\"2\"/>"
    }
    let legendY = height - 8
    svg +=
      "<rect x=\"\(left)\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" fill=\"#7aa6d8\"/><text x=\"\(left + 14)\" y=\"\(legendY)\">\(zh ? "收件" : "Received")</text>"
    svg +=
      "<rect x=\"\(left + 70)\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" fill=\"#2f6b3a\"/><text x=\"\(left + 84)\" y=\"\(legendY)\">\(zh ? "办结" : "Closed")</text>"
    svg +=
      "<line x1=\"\(left + 140)\" y1=\"\(legendY - 4)\" x2=\"\(left + 160)\" y2=\"\(legendY - 4)\" stroke=\"#b00\" stroke-width=\"2\"/><text x=\"\(left + 164)\" y=\"\(legendY)\">\(zh ? "办结率" : "Closure rate")</text>"
    return svg + "</svg>"
  }
}
