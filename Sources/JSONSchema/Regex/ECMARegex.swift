/// A compiled ECMA-262 regular expression (as if written with the `u` flag and no others), used for
/// `pattern`, `patternProperties` and the `regex` format.
///
/// Matching is a backtracking search over Unicode scalars, unanchored like `RegExp.prototype.test`.
/// Known differences from ECMA-262: captures inside a repeated group are not reset between
/// iterations, lookbehind tries start positions from nearest to farthest instead of matching
/// right-to-left (same answers for `pattern`, which only asks whether there is a match), and only
/// General_Category and a few binary Unicode properties are supported in `\p{...}` (no scripts).
struct ECMARegex: Sendable {
    /// The outcome of a search: a step budget bounds catastrophic backtracking.
    enum MatchResult: Sendable {
        case match, noMatch, tooComplex
    }

    let pattern: String
    let programs: [[RegexInstruction]]
    let sets: [ScalarSet]
    let slotCount: Int
    let markCount: Int
    let isAnchoredAtStart: Bool
    /// An ASCII byte every match starts with, to skip hopeless start positions quickly.
    let firstByte: UInt8?

    /// How many instructions one search may execute before giving up.
    static let stepBudget = 1_000_000

    init(_ pattern: String) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern)
        let tree = try parser.parse()
        var compiler = RegexCompiler()
        try compiler.compile(tree)
        compiler.programs[0].append(.match)
        self.pattern = pattern
        programs = compiler.programs
        sets = compiler.sets
        slotCount = parser.groupCount * 2
        markCount = compiler.markCount
        switch programs[0].first {
        case .assert(.start):
            isAnchoredAtStart = true
            firstByte = nil
        case .scalar(let value) where value < 0x80:
            isAnchoredAtStart = false
            firstByte = UInt8(value)
        default:
            isAnchoredAtStart = false
            firstByte = nil
        }
    }

    /// Whether the pattern matches anywhere in `text`.
    func search(_ text: String) -> MatchResult {
        var text = text
        return text.withUTF8 { input in
            var matcher = RegexMatcher(regex: self, input: input)
            var start = 0
            while true {
                if firstByte == nil || (start < input.count && input[start] == firstByte) {
                    if matcher.run(program: 0, start: start, requiredEnd: nil) { return .match }
                    if matcher.isOutOfBudget { return .tooComplex }
                }
                if isAnchoredAtStart || start >= input.count { return .noMatch }
                start += RegexMatcher.scalarLength(input[start])
            }
        }
    }
}
