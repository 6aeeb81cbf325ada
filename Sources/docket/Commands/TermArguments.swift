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

extension Term {
  init?(parsing text: String) {
    guard let value = Self.parse(text) else { return nil }
    self = value
  }

  static var valueStrings: [String] { allCases.map { "\($0.command) (\($0.chinese))" } }
}
