/// A backtracking interpreter for `RegexInstruction`s over UTF-8 input; positions are byte offsets
/// at scalar boundaries.
struct RegexMatcher {
    private enum Frame {
        case resume(pc: Int, position: Int)
        case restoreSlot(Int, Int)
        case restoreMark(Int, Int)
    }

    let regex: ECMARegex
    let input: UnsafeBufferPointer<UInt8>
    private var slots: [Int]
    private var marks: [Int]
    private var stack: [Frame]
    private var budget = ECMARegex.stepBudget

    var isOutOfBudget: Bool { budget <= 0 }

    init(regex: ECMARegex, input: UnsafeBufferPointer<UInt8>) {
        self.regex = regex
        self.input = input
        slots = Array(repeating: -1, count: regex.slotCount)
        stack = []
        stack.reserveCapacity(32)
        marks = Array(repeating: -1, count: regex.markCount)
    }

    /// Runs `program` from `start`; with `requiredEnd`, only a match ending exactly there counts.
    /// On success, capture changes are kept and this run's backtrack frames are dropped.
    mutating func run(program: Int, start: Int, requiredEnd: Int?) -> Bool {
        let code = regex.programs[program]
        let base = stack.count
        var pc = 0
        var position = start
        while true {
            budget -= 1
            if budget <= 0 {
                unwind(to: base)
                return false
            }
            var succeeded = true
            switch code[pc] {
            case .scalar(let expected):
                if position < input.count, expected < 0x80 {
                    succeeded = input[position] == UInt8(truncatingIfNeeded: expected)
                    position += 1
                } else if position < input.count {
                    let (value, length) = decode(at: position)
                    succeeded = value == expected
                    position += length
                } else {
                    succeeded = false
                }
                pc += 1
            case .anyExceptNewline:
                if position < input.count {
                    let (value, length) = decode(at: position)
                    succeeded = !Self.isLineTerminator(value)
                    position += length
                } else {
                    succeeded = false
                }
                pc += 1
            case .set(let index, let asciiLow, let asciiHigh):
                if position < input.count, input[position] < 0x80 {
                    let byte = UInt64(input[position])
                    succeeded = (byte < 64 ? asciiLow >> byte : asciiHigh >> (byte - 64)) & 1 != 0
                    position += 1
                } else if position < input.count {
                    let (value, length) = decode(at: position)
                    succeeded = regex.sets[index].contains(value)
                    position += length
                } else {
                    succeeded = false
                }
                pc += 1
            case .split(let preferred, let alternative):
                stack.append(.resume(pc: alternative, position: position))
                pc = preferred
            case .jump(let target):
                pc = target
            case .save(let slot):
                stack.append(.restoreSlot(slot, slots[slot]))
                slots[slot] = position
                pc += 1
            case .assert(let assertion):
                succeeded = check(assertion, at: position)
                pc += 1
            case .backreference(let group):
                if let end = matchBackreference(group, at: position) {
                    position = end
                } else {
                    succeeded = false
                }
                pc += 1
            case .lookaround(let body, let isAhead, let isNegated):
                succeeded = lookaround(body, isAhead: isAhead, isNegated: isNegated, at: position)
                if isOutOfBudget {
                    unwind(to: base)
                    return false
                }
                pc += 1
            case .setMark(let mark):
                stack.append(.restoreMark(mark, marks[mark]))
                marks[mark] = position
                pc += 1
            case .checkProgress(let mark):
                succeeded = marks[mark] != position
                pc += 1
            case .match:
                if requiredEnd == nil || requiredEnd == position {
                    stack.removeSubrange(base...)
                    return true
                }
                succeeded = false
            }
            if !succeeded {
                guard let (nextPC, nextPosition) = backtrack(to: base) else { return false }
                pc = nextPC
                position = nextPosition
            }
        }
    }

    /// Pops frames, undoing captures and marks, until a resume point above `base`.
    private mutating func backtrack(to base: Int) -> (Int, Int)? {
        while stack.count > base {
            switch stack.removeLast() {
            case .resume(let pc, let position): return (pc, position)
            case .restoreSlot(let slot, let value): slots[slot] = value
            case .restoreMark(let mark, let value): marks[mark] = value
            }
        }
        return nil
    }

    private mutating func unwind(to base: Int) {
        while backtrack(to: base) != nil {}
    }

    private mutating func lookaround(_ body: Int, isAhead: Bool, isNegated: Bool, at position: Int) -> Bool {
        let saved = slots
        var found = false
        if isAhead {
            found = run(program: body, start: position, requiredEnd: nil)
        } else {
            var start = position
            while !isOutOfBudget {
                if run(program: body, start: start, requiredEnd: position) {
                    found = true
                    break
                }
                if start == 0 { break }
                start -= 1
                while start > 0, input[start] & 0xC0 == 0x80 { start -= 1 }
            }
        }
        guard found != isNegated else {
            slots = saved
            return false
        }
        // Keep captures made inside a successful positive lookaround, undoably.
        for slot in slots.indices where slots[slot] != saved[slot] {
            stack.append(.restoreSlot(slot, saved[slot]))
        }
        return true
    }

    private func matchBackreference(_ group: Int, at position: Int) -> Int? {
        let start = slots[(group - 1) * 2]
        let end = slots[(group - 1) * 2 + 1]
        guard start >= 0, end >= start else { return position }  // an unset group matches empty
        let length = end - start
        guard position + length <= input.count else { return nil }
        for offset in 0..<length where input[start + offset] != input[position + offset] { return nil }
        return position + length
    }

    private func check(_ assertion: RegexAssertion, at position: Int) -> Bool {
        switch assertion {
        case .start: return position == 0
        case .end: return position == input.count
        case .wordBoundary, .notWordBoundary:
            // Word characters are ASCII only, so looking at single bytes is exact.
            let before = position > 0 && Self.isWordByte(input[position - 1])
            let after = position < input.count && Self.isWordByte(input[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    @inline(__always)
    private func decode(at position: Int) -> (UInt32, Int) {
        let lead = UInt32(input[position])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | UInt32(input[position + 1] & 0x3F), 2) }
        if lead < 0xF0 {
            return (
                (lead & 0x0F) << 12 | UInt32(input[position + 1] & 0x3F) << 6
                    | UInt32(input[position + 2] & 0x3F), 3
            )
        }
        let value =
            (lead & 0x07) << 18 | UInt32(input[position + 1] & 0x3F) << 12
            | UInt32(input[position + 2] & 0x3F) << 6 | UInt32(input[position + 3] & 0x3F)
        return (value, 4)
    }

    static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    static func isLineTerminator(_ value: UInt32) -> Bool {
        value == 0x0A || value == 0x0D || value == 0x2028 || value == 0x2029
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == 0x5F
    }
}
