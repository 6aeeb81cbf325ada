import Testing

@testable import DocketCore

@Suite("Reference patterns")
struct ReferencePatternTests {
  @Test("the standard pattern numbers the 251st petition of 2021 as 2021-XF-00251")
  func standard() {
    #expect(ReferencePattern.standard.pattern == "{year}-{code}-{seq:5}")
    #expect(ReferencePattern.standard.format(year: 2021, kind: .petition, sequence: 251) == "2021-XF-00251")
  }

  @Test(
    "each kind has its own letters",
    arguments: [
      (Kind.accusation, "2021-JB-00001"), (.appeal, "2021-SS-00001"), (.suggestion, "2021-JY-00001"),
      (.petition, "2021-XF-00001"), (.clue, "2021-XS-00001"),
    ])
  func codes(_ kind: Kind, _ expected: String) {
    #expect(ReferencePattern.standard.format(year: 2021, kind: kind, sequence: 1) == expected)
  }

  @Test("the standard pattern pads to five digits and never cuts a longer number")
  func padding() {
    let standard = ReferencePattern.standard
    #expect(standard.format(year: 2022, kind: .clue, sequence: 152) == "2022-XS-00152")
    #expect(standard.format(year: 2022, kind: .clue, sequence: 99_999) == "2022-XS-99999")
    #expect(standard.format(year: 2022, kind: .clue, sequence: 123_456) == "2022-XS-123456")
  }

  @Test("{yy} is the two-digit year, {seq} is unpadded, {kind} is the English code")
  func otherPlaceholders() throws {
    let short = try ReferencePattern("{code}{yy}-{seq}")
    #expect(short.format(year: 2021, kind: .petition, sequence: 7) == "XF21-7")
    #expect(short.format(year: 2021, kind: .petition, sequence: 251) == "XF21-251")
    #expect(short.format(year: 2005, kind: .clue, sequence: 3) == "XS05-3")
    #expect(short.format(year: 2100, kind: .clue, sequence: 3) == "XS00-3")

    let long = try ReferencePattern("湛纪〔{year}〕{kind}第{seq:3}号")
    #expect(long.format(year: 2021, kind: .accusation, sequence: 17) == "湛纪〔2021〕accusation第017号")
  }

  @Test("a pattern may repeat placeholders")
  func repeated() throws {
    let pattern = try ReferencePattern("{year}/{code}{seq:2}/{yy}-{seq}")
    #expect(pattern.format(year: 2021, kind: .appeal, sequence: 5) == "2021/SS05/21-5")
  }

  @Test("description is the pattern itself")
  func description() throws {
    #expect(ReferencePattern.standard.description == "{year}-{code}-{seq:5}")
    #expect(try ReferencePattern("{yy}{code}-{seq}").description == "{yy}{code}-{seq}")
    #expect(try ReferencePattern("{year}-{code}-{seq:5}") == ReferencePattern.standard)
  }

  @Test(
    "invalid patterns are refused",
    arguments: [
      "{year}-{code}",  // no sequence
      "{code}-{seq:5}",  // no year: numbers would repeat every year
      "{year}-{seq:5}",  // no kind: two kinds would get the same number
      "{year}-{foo}-{seq}",  // unknown placeholder
      "{year}-{sequence}",  // unknown placeholder that starts like {seq
      "{YEAR}-{seq}",  // placeholders are lower-case
      "{year}-{seq:5",  // unclosed
      "{year}-{seq:x}",  // width is not a number
      "{year}-{seq:}",  // width missing
      "{year}-{code-{seq}",
      "",
      "2021-XF-00251",
    ])
  func invalid(_ pattern: String) {
    let error = #expect(throws: FieldError.self) { try ReferencePattern(pattern) }
    #expect(error?.field == "reference pattern")
    #expect(error?.value == pattern)
    #expect(error?.description.contains("{seq}") == true)
    #expect(error?.description.contains("{year}-{code}-{seq:5}") == true)
  }

  @Test("reference numbers are found in a reply's subject by the office's pattern")
  func candidates() throws {
    #expect(
      ReferencePattern.standard.candidates(in: "Re: 关于2021-JB-00001的补充材料 和 2021-XF-12 及 12021-JB-00002")
        == ["2021-JB-00001", "2021-XF-12"])
    #expect(try ReferencePattern("{yy}{code}-{seq:4}").candidates(in: "回复：21JB-0003。") == ["21JB-0003"])
  }
}
