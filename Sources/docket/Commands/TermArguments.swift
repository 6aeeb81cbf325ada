import ArgumentParser
import DocketService

// Every vocabulary is accepted on the command line in English or Chinese.
extension Kind: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}
extension Source: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}
extension Channel: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}
extension ItemState: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}
extension Role: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}
extension Disposal: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}
extension Finding: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}

extension Warning: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}

/// `--warning`: a deadline's warning, or `may_identify` for text that may still identify someone.
enum WarningFilter: ExpressibleByArgument, Equatable {
  case deadline(Warning)
  case mayIdentify

  init?(argument: String) {
    if ["may_identify", "may-identify", "可能泄露身份"].contains(argument) {
      self = .mayIdentify
    } else if let warning = Warning(argument: argument) {
      self = .deadline(warning)
    } else {
      return nil
    }
  }

  static var allValueStrings: [String] { Warning.allValueStrings + ["may_identify"] }
}

extension Term {
  init?(parsing text: String) {
    guard let value = Self.parse(text) else { return nil }
    self = value
  }

  static var valueStrings: [String] { allCases.map { "\($0.command) (\($0.chinese))" } }
}
