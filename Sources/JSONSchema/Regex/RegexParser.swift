/// Parses an ECMA-262 pattern with the `u` (Unicode) flag's strict syntax: unknown escapes such as
/// `\a` or `\-` outside a class, lone `{`/`}`/`]`, and Python/PCRE extensions are errors.
struct RegexParser {
    let scalars: [UInt32]
    var position = 0
    /// Group names in order of their opening parenthesis (nil for unnamed groups).
    let groupNames: [String?]
    var groupsOpened = 0

    init(_ pattern: String) {
        scalars = pattern.unicodeScalars.map(\.value)
        groupNames = Self.scanGroups(scalars)
    }

    var groupCount: Int { groupNames.count }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        let node = try parseDisjunction()
        if position < scalars.count {
            throw fail(scalars[position] == 0x29 ? "unmatched ')'" : "unexpected '\(character(position))'")
        }
        return node
    }

    // MARK: Structure

    mutating func parseDisjunction() throws(RegexSyntaxError) -> RegexNode {
        var alternatives = [try parseAlternative()]
        while peek() == 0x7C {  // |
            position += 1
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    mutating func parseAlternative() throws(RegexSyntaxError) -> RegexNode {
        var terms: [RegexNode] = []
        while let next = peek(), next != 0x7C, next != 0x29 {
            terms.append(try parseTerm())
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .sequence(terms)
        }
    }

    mutating func parseTerm() throws(RegexSyntaxError) -> RegexNode {
        let start = position
        let atom: RegexNode
        var isQuantifiable = true
        switch scalars[position] {
        case 0x5E:  // ^
            position += 1
            return .assertion(.start)
        case 0x24:  // $
            position += 1
            return .assertion(.end)
        case 0x28:  // (
            (atom, isQuantifiable) = try parseGroup()
        case 0x2E:  // .
            position += 1
            atom = .anyExceptNewline
        case 0x5B:  // [
            atom = .set(try parseClass())
        case 0x5C:  // backslash
            if let assertion = try parseAssertionEscape() { return assertion }
            atom = try parseAtomEscape()
        case 0x2A, 0x2B, 0x3F:  // * + ?
            throw fail("nothing to repeat before '\(character(position))'")
        case 0x7B:  // {
            throw fail(parseBraceQuantifier() != nil ? "nothing to repeat before '{'" : "lone '{'")
        case 0x7D, 0x5D:  // } ]
            throw fail("lone '\(character(position))'")
        default:
            atom = .scalar(scalars[position])
            position += 1
        }
        guard let (min, max) = try parseQuantifier() else { return atom }
        guard isQuantifiable else { throw fail("a lookaround assertion cannot be repeated", at: start) }
        var isGreedy = true
        if peek() == 0x3F {
            position += 1
            isGreedy = false
        }
        return .quantified(atom, min: min, max: max, isGreedy: isGreedy)
    }

    mutating func parseQuantifier() throws(RegexSyntaxError) -> (Int, Int?)? {
        switch peek() {
        case 0x2A:
            position += 1
            return (0, nil)
        case 0x2B:
            position += 1
            return (1, nil)
        case 0x3F:
            position += 1
            return (0, 1)
        case 0x7B:
            let start = position
            guard let (min, max) = parseBraceQuantifier() else { throw fail("lone '{'") }
            if let max, max < min { throw fail("numbers out of order in {} quantifier", at: start) }
            return (min, max)
        default:
            return nil
        }
    }

    /// `{n}`, `{n,}` or `{n,m}`; leaves the position untouched and returns nil when malformed.
    mutating func parseBraceQuantifier() -> (Int, Int?)? {
        let start = position
        position += 1
        guard let min = readDecimal() else {
            position = start
            return nil
        }
        var max: Int? = min
        if peek() == 0x2C {
            position += 1
            max = readDecimal()
        }
        guard peek() == 0x7D else {
            position = start
            return nil
        }
        position += 1
        return (min, max)
    }

    mutating func readDecimal() -> Int? {
        var value: Int?
        while let next = peek(), (0x30...0x39).contains(next) {
            // Saturate: counts this large behave like "unbounded" in practice.
            value = Swift.min((value ?? 0) * 10 + Int(next - 0x30), 1_000_000)
            position += 1
        }
        return value
    }

    mutating func parseGroup() throws(RegexSyntaxError) -> (RegexNode, Bool) {
        let start = position
        position += 1
        var capture: Int?
        var lookaround: (isAhead: Bool, isNegated: Bool)?
        if peek() == 0x3F {  // ?
            let kind = scalars.count > position + 1 ? scalars[position + 1] : 0
            let kind2 = scalars.count > position + 2 ? scalars[position + 2] : 0
            switch (kind, kind2) {
            case (0x3A, _): position += 2  // (?:
            case (0x3D, _): (position, lookaround) = (position + 2, (true, false))  // (?=
            case (0x21, _): (position, lookaround) = (position + 2, (true, true))  // (?!
            case (0x3C, 0x3D): (position, lookaround) = (position + 3, (false, false))  // (?<=
            case (0x3C, 0x21): (position, lookaround) = (position + 3, (false, true))  // (?<!
            case (0x3C, _):  // (?<name>
                position += 2
                _ = try readGroupName()
                groupsOpened += 1
                capture = groupsOpened
            default:
                throw fail("invalid group '(?\(kind == 0 ? "" : character(position + 1))'", at: start)
            }
        } else {
            groupsOpened += 1
            capture = groupsOpened
        }
        let body = try parseDisjunction()
        guard peek() == 0x29 else { throw fail("missing ')'", at: start) }
        position += 1
        if let lookaround {
            // Lookaheads and lookbehinds are never quantifiable with the u flag.
            return (.lookaround(body, isAhead: lookaround.isAhead, isNegated: lookaround.isNegated), false)
        }
        return (.group(body, capture: capture), true)
    }

    mutating func readGroupName() throws(RegexSyntaxError) -> String {
        var name = ""
        while let next = peek(), next != 0x3E {
            guard let scalar = Unicode.Scalar(next),
                scalar == "$" || scalar == "_" || scalar.properties.isAlphabetic
                    || (!name.isEmpty && scalar.properties.numericType != nil)
            else { throw fail("invalid group name") }
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard peek() == 0x3E, !name.isEmpty else { throw fail("invalid group name") }
        position += 1
        return name
    }

    // MARK: Helpers

    func peek() -> UInt32? {
        position < scalars.count ? scalars[position] : nil
    }

    func character(_ offset: Int) -> String {
        guard offset < scalars.count, let scalar = Unicode.Scalar(scalars[offset]) else { return "" }
        return String(Character(scalar))
    }

    func fail(_ message: String, at offset: Int? = nil) -> RegexSyntaxError {
        RegexSyntaxError(message: message, offset: offset ?? position)
    }

    /// Finds capturing groups ahead of parsing, so `\k<name>` and `\10` can refer forward.
    static func scanGroups(_ scalars: [UInt32]) -> [String?] {
        var names: [String?] = []
        var index = 0
        var inClass = false
        while index < scalars.count {
            switch scalars[index] {
            case 0x5C: index += 1
            case 0x5B: inClass = true
            case 0x5D: inClass = false
            case 0x28 where !inClass:
                if index + 1 < scalars.count, scalars[index + 1] == 0x3F {
                    if index + 2 < scalars.count, scalars[index + 2] == 0x3C, index + 3 < scalars.count,
                        scalars[index + 3] != 0x3D, scalars[index + 3] != 0x21
                    {
                        var name = ""
                        var cursor = index + 3
                        while cursor < scalars.count, scalars[cursor] != 0x3E,
                            let scalar = Unicode.Scalar(scalars[cursor])
                        {
                            name.unicodeScalars.append(scalar)
                            cursor += 1
                        }
                        names.append(name)
                    }
                } else {
                    names.append(nil)
                }
            default: break
            }
            index += 1
        }
        return names
    }
}
