/// One step of a compiled pattern, run by `RegexMatcher`.
enum RegexInstruction: Sendable {
    case scalar(UInt32)
    case anyExceptNewline
    /// A character class: ASCII membership as a 128-bit map (checked without touching the set, which
    /// would copy it), else `sets[index]`.
    case set(index: Int, asciiLow: UInt64, asciiHigh: UInt64)
    /// Continue at `preferred`; on failure, come back and continue at `alternative`.
    case split(preferred: Int, alternative: Int)
    case jump(Int)
    case save(slot: Int)
    case assert(RegexAssertion)
    case backreference(group: Int)
    case lookaround(program: Int, isAhead: Bool, isNegated: Bool)
    /// Records the position at the start of a loop iteration whose body can match empty.
    case setMark(Int)
    /// Fails an iteration that consumed nothing, as ECMA-262 requires, so such loops terminate.
    case checkProgress(Int)
    case match
}

/// Turns a parsed pattern into instruction lists: program 0 is the pattern, others are lookaround bodies.
struct RegexCompiler {
    var programs: [[RegexInstruction]] = [[]]
    var sets: [ScalarSet] = []
    var markCount = 0
    var current = 0

    /// Counted repetition is unrolled; this bounds the size a pattern like `(a{1000}){1000}` can reach.
    static let maxInstructions = 100_000

    mutating func compile(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .empty:
            break
        case .scalar(let value):
            emit(.scalar(value))
        case .anyExceptNewline:
            emit(.anyExceptNewline)
        case .set(let set):
            sets.append(set)
            var low: UInt64 = 0
            var high: UInt64 = 0
            for scalar: UInt32 in 0..<128 where set.contains(scalar) {
                if scalar < 64 { low |= 1 << scalar } else { high |= 1 << (scalar - 64) }
            }
            emit(.set(index: sets.count - 1, asciiLow: low, asciiHigh: high))
        case .sequence(let nodes):
            for child in nodes { try compile(child) }
        case .alternation(let nodes):
            try compileAlternation(nodes)
        case .group(let body, let capture):
            if let capture { emit(.save(slot: (capture - 1) * 2)) }
            try compile(body)
            if let capture { emit(.save(slot: (capture - 1) * 2 + 1)) }
        case .quantified(let body, let min, let max, let isGreedy):
            try compileQuantified(body, min: min, max: max, isGreedy: isGreedy)
        case .assertion(let assertion):
            emit(.assert(assertion))
        case .lookaround(let body, let isAhead, let isNegated):
            let outer = current
            programs.append([])
            current = programs.count - 1
            let index = current
            try compile(body)
            emit(.match)
            current = outer
            emit(.lookaround(program: index, isAhead: isAhead, isNegated: isNegated))
        case .backreference(let group):
            emit(.backreference(group: group))
        }
        guard programs[current].count <= Self.maxInstructions else {
            throw RegexSyntaxError(message: "pattern is too large once repetitions are expanded", offset: 0)
        }
    }

    private mutating func compileAlternation(_ nodes: [RegexNode]) throws(RegexSyntaxError) {
        var jumpsToEnd: [Int] = []
        for (index, node) in nodes.enumerated() {
            let isLast = index == nodes.count - 1
            let split = here
            if !isLast { emit(.match) }  // placeholder, patched below
            try compile(node)
            if !isLast {
                jumpsToEnd.append(here)
                emit(.match)  // placeholder
                programs[current][split] = .split(preferred: split + 1, alternative: here)
            }
        }
        for jump in jumpsToEnd { programs[current][jump] = .jump(here) }
    }

    private mutating func compileQuantified(_ body: RegexNode, min: Int, max: Int?, isGreedy: Bool)
        throws(RegexSyntaxError)
    {
        for _ in 0..<min { try compile(body) }
        guard let max else {
            let loop = here
            emit(.match)  // placeholder for the split
            let needsProgressCheck = body.canMatchEmpty
            let mark = markCount
            if needsProgressCheck {
                markCount += 1
                emit(.setMark(mark))
            }
            try compile(body)
            if needsProgressCheck { emit(.checkProgress(mark)) }
            emit(.jump(loop))
            programs[current][loop] = split(enter: loop + 1, skip: here, isGreedy: isGreedy)
            return
        }
        var splits: [Int] = []
        for _ in min..<Swift.max(min, max) {
            splits.append(here)
            emit(.match)  // placeholder
            try compile(body)
        }
        for split in splits {
            programs[current][split] = self.split(enter: split + 1, skip: here, isGreedy: isGreedy)
        }
    }

    private func split(enter: Int, skip: Int, isGreedy: Bool) -> RegexInstruction {
        isGreedy ? .split(preferred: enter, alternative: skip) : .split(preferred: skip, alternative: enter)
    }

    private var here: Int { programs[current].count }

    private mutating func emit(_ instruction: RegexInstruction) {
        programs[current].append(instruction)
    }
}
