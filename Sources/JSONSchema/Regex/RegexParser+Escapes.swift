extension RegexParser {
    /// `\b` and `\B`, or nil for any other escape.
    mutating func parseAssertionEscape() throws(RegexSyntaxError) -> RegexNode? {
        switch scalars.count > position + 1 ? scalars[position + 1] : 0 {
        case 0x62:
            position += 2
            return .assertion(.wordBoundary)
        case 0x42:
            position += 2
            return .assertion(.notWordBoundary)
        default:
            return nil
        }
    }

    /// An escape outside a class: backreference, class escape or character escape.
    mutating func parseAtomEscape() throws(RegexSyntaxError) -> RegexNode {
        let start = position
        position += 1
        guard let letter = peek() else { throw fail("'\\' at end of pattern", at: start) }
        switch letter {
        case 0x31...0x39:
            guard let number = readDecimal(), number <= groupCount else {
                throw fail("reference to a group that does not exist", at: start)
            }
            return .backreference(number)
        case 0x6B:  // k<name>
            position += 1
            guard peek() == 0x3C else { throw fail("invalid named reference", at: start) }
            position += 1
            let name = try readGroupName()
            guard let index = groupNames.firstIndex(of: name) else {
                throw fail("reference to a group name that does not exist", at: start)
            }
            return .backreference(index + 1)
        default:
            if let set = try parseClassEscape() { return .set(set) }
            return .scalar(try parseCharacterEscape(start: start, inClass: false))
        }
    }

    /// `\d \D \s \S \w \W \p{..} \P{..}` with the position just after the backslash.
    mutating func parseClassEscape() throws(RegexSyntaxError) -> ScalarSet? {
        let base: ScalarSet
        var isNegated = false
        switch peek() {
        case 0x64: base = .digits
        case 0x44: (base, isNegated) = (.digits, true)
        case 0x73: base = .whitespace
        case 0x53: (base, isNegated) = (.whitespace, true)
        case 0x77: base = .wordCharacters
        case 0x57: (base, isNegated) = (.wordCharacters, true)
        case 0x70, 0x50:
            let negated = peek() == 0x50
            let start = position - 1
            position += 1
            guard peek() == 0x7B else { throw fail("invalid Unicode property escape", at: start) }
            position += 1
            var name = ""
            while let next = peek(), next != 0x7D, let scalar = Unicode.Scalar(next) {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard peek() == 0x7D else { throw fail("invalid Unicode property escape", at: start) }
            position += 1
            guard let property = UnicodeProperty.named(name) else {
                throw fail("unknown or unsupported Unicode property '\(name)'", at: start)
            }
            var set = ScalarSet()
            set.properties = [(property, negated)]
            return set
        default:
            return nil
        }
        position += 1
        guard isNegated else { return base }
        return ScalarSet(ranges: ScalarSet.complement(of: base.ranges))
    }

    /// A single-character escape with the position just after the backslash.
    mutating func parseCharacterEscape(start: Int, inClass: Bool) throws(RegexSyntaxError) -> UInt32 {
        guard let letter = peek() else { throw fail("'\\' at end of pattern", at: start) }
        position += 1
        switch letter {
        case 0x66: return 0x0C  // f
        case 0x6E: return 0x0A  // n
        case 0x72: return 0x0D  // r
        case 0x74: return 0x09  // t
        case 0x76: return 0x0B  // v
        case 0x62 where inClass: return 0x08  // b means backspace inside a class
        case 0x2D where inClass: return 0x2D  // -
        case 0x30:
            if let next = peek(), (0x30...0x39).contains(next) {
                throw fail("invalid octal escape", at: start)
            }
            return 0
        case 0x63:  // cX
            guard let next = peek(), (0x41...0x5A).contains(next) || (0x61...0x7A).contains(next) else {
                throw fail("invalid control escape", at: start)
            }
            position += 1
            return next % 32
        case 0x78:  // xHH
            guard let value = readHex(count: 2) else { throw fail("invalid \\x escape", at: start) }
            return value
        case 0x75:  // uHHHH or u{H...}
            return try parseUnicodeEscape(start: start)
        case 0x5E, 0x24, 0x5C, 0x2E, 0x2A, 0x2B, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x7C, 0x2F:
            return letter
        default:
            throw fail("invalid escape '\\\(character(position - 1))'", at: start)
        }
    }

    mutating func parseUnicodeEscape(start: Int) throws(RegexSyntaxError) -> UInt32 {
        if peek() == 0x7B {
            position += 1
            var value: UInt32 = 0
            var digits = 0
            while let next = peek(), let digit = hexValue(next) {
                value = value * 16 + digit
                digits += 1
                guard value <= ScalarSet.maxScalar else { throw fail("\\u{} escape out of range", at: start) }
                position += 1
            }
            guard digits > 0, peek() == 0x7D else { throw fail("invalid \\u{} escape", at: start) }
            position += 1
            return value
        }
        guard let lead = readHex(count: 4) else { throw fail("invalid \\u escape", at: start) }
        // A surrogate pair written as two escapes stands for one scalar.
        if (0xD800...0xDBFF).contains(lead), scalars.count >= position + 6, scalars[position] == 0x5C,
            scalars[position + 1] == 0x75
        {
            let saved = position
            position += 2
            if let trail = readHex(count: 4), (0xDC00...0xDFFF).contains(trail) {
                return 0x10000 + ((lead - 0xD800) << 10) + (trail - 0xDC00)
            }
            position = saved
        }
        return lead
    }

    mutating func readHex(count: Int) -> UInt32? {
        guard position + count <= scalars.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<count {
            guard let digit = hexValue(scalars[position + offset]) else { return nil }
            value = value * 16 + digit
        }
        position += count
        return value
    }

    func hexValue(_ scalar: UInt32) -> UInt32? {
        switch scalar {
        case 0x30...0x39: scalar - 0x30
        case 0x41...0x46: scalar - 0x41 + 10
        case 0x61...0x66: scalar - 0x61 + 10
        default: nil
        }
    }

    // MARK: Character classes

    private enum ClassAtom {
        case scalar(UInt32)
        case set(ScalarSet)
    }

    mutating func parseClass() throws(RegexSyntaxError) -> ScalarSet {
        let start = position
        position += 1
        var set = ScalarSet()
        if peek() == 0x5E {
            set.isNegated = true
            position += 1
        }
        while let next = peek(), next != 0x5D {
            let atomStart = position
            let first = try parseClassAtom()
            if peek() == 0x2D, position + 1 < scalars.count, scalars[position + 1] != 0x5D {
                position += 1
                let second = try parseClassAtom()
                guard case .scalar(let low) = first, case .scalar(let high) = second else {
                    throw fail("invalid range in character class", at: atomStart)
                }
                guard low <= high else { throw fail("range out of order in character class", at: atomStart) }
                set.ranges.append(low...high)
                continue
            }
            switch first {
            case .scalar(let value): set.ranges.append(value...value)
            case .set(let members): set.formUnion(members)
            }
        }
        guard peek() == 0x5D else { throw fail("missing ']'", at: start) }
        position += 1
        set.normalize()
        return set
    }

    private mutating func parseClassAtom() throws(RegexSyntaxError) -> ClassAtom {
        let current = scalars[position]
        guard current == 0x5C else {
            position += 1
            return .scalar(current)
        }
        let start = position
        position += 1
        if let set = try parseClassEscape() { return .set(set) }
        return .scalar(try parseCharacterEscape(start: start, inClass: true))
    }
}
