import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// 阶段目标: a milestone on a measure's way — by `day`, the figure `done` reached; without a
  /// figure (a long-term measure's review date), a progress entry made since the milestone before.
  /// A measure behind a milestone is lagging, on the board and in the letters, whatever its due
  /// date. Setting a milestone for a day again replaces it.
  public func setMilestone(
    _ ref: String, by day: CivilDate, done: Double? = nil, actor login: String?,
    _ options: MoveOptions = .init()
  ) throws(DocketError) -> MeasureChange {
    if let done, !(done >= 0) || !done.isFinite { throw .invalid("--done must be a number of 0 or more.") }
    return try changeMeasure(ref, login, .manageRectification, "set a measure's milestone", options) {
      measure, actor, at throws(DocketError) in
      guard measure.state != .signedOff else {
        throw .refused("\(measure.ref) is signed off (销号); it has no milestone left to reach.")
      }
      guard day >= office.time.civilDate(of: measure.plannedAt) else {
        throw .invalid(
          "The milestone day \(day) is before \(measure.ref) was planned (\(office.time.dayString(measure.plannedAt)))."
        )
      }
      return (
        NewMeasureEntry(
          kind: .milestone, effectiveAt: at, actor: actor.login, note: options.note, done: done,
          state: measure.state, milestoneOn: day),
        .none
      )
    }
  }
}
