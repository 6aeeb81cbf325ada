import ArgumentParser
import DocketService
import Foundation

struct Notify: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "受理告知: record that the real-name reporter was told whether the item was accepted.")
  @OptionGroup var move: MoveArguments
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.recordNotice(r, actor: a, o) }
  }
}

struct Feedback: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "结果反馈: record that the real-name reporter was told the result.")
  @OptionGroup var move: MoveArguments
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.recordFeedback(r, actor: a, o) }
  }
}

struct Extend: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "延期: extend a petition's handling period once (leaders).")
  @OptionGroup var move: MoveArguments
  @Option(help: "By how many days (at most the policy's extension).") var days: Int
  @Option(help: "Why.") var reason: String
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in
      try d.extendPetition(r, days: days, reason: reason, actor: a, o)
    }
  }
}
