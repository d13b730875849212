/// The parsed form of an ECMA-262 pattern.
indirect enum RegexNode: Sendable {
    case empty
    case scalar(UInt32)
    /// `.`: any scalar except line terminators.
    case anyExceptNewline
    case set(ScalarSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    /// A group; `capture` is the 1-based group number for capturing groups.
    case group(RegexNode, capture: Int?)
    case quantified(RegexNode, min: Int, max: Int?, isGreedy: Bool)
    case assertion(RegexAssertion)
    case lookaround(RegexNode, isAhead: Bool, isNegated: Bool)
    case backreference(Int)

    /// Whether the node can succeed without consuming input (decides where loops need a progress check).
    var canMatchEmpty: Bool {
        switch self {
        case .empty, .assertion, .lookaround, .backreference: true
        case .scalar, .anyExceptNewline, .set: false
        case .sequence(let nodes): nodes.allSatisfy(\.canMatchEmpty)
        case .alternation(let nodes): nodes.contains(where: \.canMatchEmpty)
        case .group(let node, _): node.canMatchEmpty
        case .quantified(let node, let min, _, _): min == 0 || node.canMatchEmpty
        }
    }
}

enum RegexAssertion: Sendable {
    case start, end, wordBoundary, notWordBoundary
}

/// Why a pattern is not a valid ECMA-262 regular expression (with the `u` flag).
struct RegexSyntaxError: Error, Sendable {
    let message: String
    /// Offset in Unicode scalars from the start of the pattern.
    let offset: Int
}
