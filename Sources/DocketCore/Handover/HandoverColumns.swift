import Foundation

/// What a column of a handover list holds.
public enum HandoverField: String, CaseIterable, Sendable {
  case number, received, subject, summary, kind, source, category, reporter, phone, address
  case idNumber = "id_number"
  case email, accused, unit, rank, note

  /// The headers inspection teams and offices write, in Chinese and English. An office adds its
  /// own with the setting `handover_columns` (`反映问题=summary, 来信时间=received`).
  public var standardHeaders: [String] {
    switch self {
    case .number: ["序号", "编号", "原编号", "清单编号", "no", "number", "seq"]
    case .received: ["来信日期", "来信时间", "收信日期", "收件日期", "来件日期", "日期", "received", "received_at", "date"]
    case .subject: ["事由", "标题", "主题", "subject", "title"]
    case .summary: ["内容摘要", "反映问题", "主要问题", "问题摘要", "反映内容", "内容", "摘要", "summary", "content"]
    case .kind: ["种类", "件别", "性质", "kind"]
    case .source: ["来源", "问题来源", "source"]
    case .category: ["问题类别", "问题分类", "类别", "category"]
    case .reporter: ["反映人", "来信人", "举报人", "信访人", "reporter"]
    case .phone: ["联系电话", "电话", "手机", "phone", "telephone"]
    case .address: ["地址", "联系地址", "通讯地址", "address"]
    case .idNumber: ["身份证号", "身份证号码", "证件号码", "id_number"]
    case .email: ["邮箱", "电子邮箱", "email"]
    case .accused: ["被反映人", "被举报人", "accused"]
    case .unit: ["单位", "工作单位", "被反映人单位", "所在单位", "unit"]
    case .rank: ["职务", "职级", "被反映人职务", "rank", "post"]
    case .note: ["备注", "note"]
    }
  }

  /// A list cannot be registered without these.
  public var isRequired: Bool { self == .received || self == .summary }

  /// The header to name in messages: the Chinese one, then the code.
  public var label: String { "\(standardHeaders[0])/\(rawValue)" }
}

/// Which column of a list holds which field, matched by header.
public struct HandoverColumns: Sendable {
  /// Normalised header → field.
  let headers: [String: HandoverField]

  /// The standard headers plus an office's own (`extra`, header → field), which win.
  public init(extra: [String: HandoverField] = [:]) {
    var headers: [String: HandoverField] = [:]
    for field in HandoverField.allCases {
      for header in field.standardHeaders { headers[Self.normalised(header)] = field }
    }
    for (header, field) in extra { headers[Self.normalised(header)] = field }
    self.headers = headers
  }

  /// Reads the setting `handover_columns`: `header=field` pairs separated by commas or semicolons.
  public init(setting: String) throws(FieldError) {
    var extra: [String: HandoverField] = [:]
    for pair in setting.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "，" || $0 == "；" }) {
      let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2, !parts[0].isEmpty, let field = HandoverField(rawValue: parts[1]) else {
        throw FieldError(
          field: "handover_columns", value: String(pair), problem: "is not header=field",
          expected: "for example 反映问题=summary; fields: "
            + HandoverField.allCases.map(\.rawValue).joined(separator: ", "))
      }
      extra[parts[0]] = field
    }
    self.init(extra: extra)
  }

  /// Headers compare without spaces, case, and a note in brackets (`来信日期（年月日）`).
  static func normalised(_ header: String) -> String {
    var text = header.lowercased()
    for (open, close) in [("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")] {
      if let start = text.range(of: open),
        let end = text.range(of: close, range: start.upperBound..<text.endIndex)
      {
        text.removeSubrange(start.lowerBound..<end.upperBound)
      }
    }
    return text.filter { !$0.isWhitespace && $0 != "*" && $0 != "：" && $0 != ":" }
  }

  /// How a header row maps: the field of each column, the headers no field has (a warning), and
  /// the required fields no column has (an error).
  public func map(_ headerRow: [String]) -> HandoverLayout {
    var layout = HandoverLayout()
    for (index, header) in headerRow.enumerated() {
      let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { continue }
      layout.headers[index] = trimmed
      if let field = headers[Self.normalised(trimmed)] {
        if let earlier = layout.columns[field] {
          layout.repeated.append((field, layout.headers[earlier] ?? "", trimmed))
        } else {
          layout.columns[field] = index
        }
      } else {
        layout.unknown.append(trimmed)
      }
    }
    layout.missing = HandoverField.allCases.filter { $0.isRequired && layout.columns[$0] == nil }
    return layout
  }
}

/// A list's header row, understood.
public struct HandoverLayout: Sendable {
  /// Field → column index (0 for column A).
  public var columns: [HandoverField: Int] = [:]
  /// Column index → the header as written, for messages.
  public var headers: [Int: String] = [:]
  public var unknown: [String] = []
  public var missing: [HandoverField] = []
  /// A field two columns claim: the first is used, and this is refused.
  public var repeated: [(HandoverField, String, String)] = []

  public init() {}

  /// The header of `field`'s column as the list writes it.
  public func header(_ field: HandoverField) -> String {
    columns[field].flatMap { headers[$0] } ?? field.label
  }

}
