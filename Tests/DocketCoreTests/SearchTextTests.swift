import Testing

@testable import DocketCore

/// The index's tokens and the query's form (issue 18, items 1 and 2), without a database.
@Suite("Search tokens and queries")
struct SearchTextTests {
  func lexemes(_ text: String) -> [String] { SearchTokens.tokens(text).map(\.lexeme) }

  @Test("Chinese gives each character and each overlapping pair, the pair at its first character")
  func chinese() {
    let tokens = SearchTokens.tokens("收受红包")
    #expect(Set(tokens.map(\.lexeme)) == ["收", "受", "红", "包", "收受", "受红", "红包"])
    #expect(tokens.first { $0.lexeme == "红包" }?.position == 2)
    #expect(tokens.first { $0.lexeme == "红" }?.position == 2)
    // No pair across punctuation: 包，烟 is two runs.
    #expect(!lexemes("红包，烟花").contains("包烟"))
  }

  @Test("Latin words and numbers, NFKC and lower case: full-width and half-width are one")
  func latin() {
    #expect(lexemes("２０２１－ＪＢ－００００３") == ["2021", "jb", "00003"])
    #expect(lexemes("iPhone 13 Pro") == ["iphone", "13", "pro"])
    #expect(lexemes("（王某）…") == ["王", "某", "王某"])
  }

  @Test("a query: terms joined with &, a Chinese term the phrase of its pairs, a lone character itself")
  func tsquery() throws {
    #expect(try SearchQuery("红包").tsquery == "('红包')")
    #expect(try SearchQuery("砂").tsquery == "('砂')")
    #expect(try SearchQuery("烟花爆竹").tsquery == "('烟花' <-> '花爆' <-> '爆竹')")
    #expect(try SearchQuery("红包 -公安").tsquery == "('红包') & !('公安')")
    #expect(try SearchQuery("2021-JB-00003").tsquery == "('2021' <2> 'jb' <2> '00003')")
    #expect(try SearchQuery("\"收受 红包\"").tsquery == "('收受' <3> '红包')")
    #expect(try SearchQuery("“收受红包”").terms == [SearchQuery.Term(text: "收受红包", excluded: false)])
    #expect(try SearchQuery("ＪＢ").tsquery == "('jb')")
  }

  @Test("a query that finds nothing by itself is refused with the reason")
  func badQueries() {
    #expect(throws: SearchQueryError.unclosedQuote) { try SearchQuery("\"收受红包") }
    #expect(throws: SearchQueryError.noTerm) { try SearchQuery("-红包") }
    #expect(throws: SearchQueryError.nothingToFind("、、")) { try SearchQuery("红包 、、") }
  }

  @Test("a document's vector: weights by field, fields apart, quotes doubled")
  func vector() {
    let document = SearchDocument.item(
      ref: "2021-JB-00001", subject: "红包", summary: "红包", accused: [(name: "王某", unit: nil)])
    #expect(
      document.vector
        == "'2021':1A 'jb':3A '00001':5A '红':7A,13C '包':8A,14C '红包':7A,13C '王':10B '某':11B '王某':10B")
    #expect(SearchQuery.quoted("o'neil") == "'o''neil'")
  }

  @Test("a snippet marks the first term found, shows the text as written, cut with …")
  func snippet() {
    #expect(Snippet.make("反映某局长收受红包", terms: ["红包"]) == "反映某局长收受【红包】")
    #expect(Snippet.make("ＡＢＣ公司", terms: ["abc"]) == "【ＡＢＣ】公司")
    let long = String(repeating: "甲", count: 30) + "红包" + String(repeating: "乙", count: 30)
    #expect(
      Snippet.make(long, terms: ["红包"])
        == "…" + String(repeating: "甲", count: 18) + "【红包】" + String(repeating: "乙", count: 18) + "…")
    #expect(Snippet.make("反映违建", terms: ["红包"]) == nil)
  }

  @Test("a move's note and reason are searchable; an event without text adds nothing")
  func eventText() {
    var record = JournalEvent.MoveRecord(from: .handling, to: .onHold, note: "待李某回国后约谈")
    record.reason = "当事人出国"
    #expect(JournalEvent.moved(.hold, record).searchText == "待李某回国后约谈\n当事人出国")
    #expect(JournalEvent.identityRevealed(reason: "核实", with: nil).searchText == nil)
  }
}
