extension JSON {
    /// The nesting depth `JSON(parsing:)` accepts unless told otherwise.
    public static let defaultMaxDepth = 128

    /// Parses a JSON text (RFC 8259) from UTF-8 bytes.
    ///
    /// Strict: no comments, trailing commas, single quotes, NaN or leading zeros; invalid UTF-8 and
    /// lone surrogate escapes are rejected; one leading byte-order mark is ignored, as RFC 8259 allows.
    /// A duplicate object key keeps its first position and its last value. Integers that fit in
    /// `Int64` become `.int`; other numbers become `.double`, and numbers beyond `Double`'s range are
    /// rejected. Nesting deeper than `maxDepth` fails with `.nestingTooDeep` instead of exhausting the
    /// stack.
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = JSON.defaultMaxDepth)
        throws(JSONParseError)
    {
        let result =
            bytes.withContiguousStorageIfAvailable { buffer in
                Result { () throws(JSONParseError) in
                    var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
                    return try parser.parseDocument()
                }
            }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in
                Result { () throws(JSONParseError) in
                    var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
                    return try parser.parseDocument()
                }
            }
        self = try result.get()
    }

    /// Parses a JSON text (RFC 8259); see `init(parsing:maxDepth:)` for bytes.
    public init(parsing text: String, maxDepth: Int = JSON.defaultMaxDepth) throws(JSONParseError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in
                var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
                return try parser.parseDocument()
            }
        }
        self = try result.get()
    }
}

/// A recursive-descent parser over a byte buffer. Depth is bounded by `maxDepth`, so recursion is too.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var position = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []
    /// Elements and members of the containers being parsed, stacked so each finished container is
    /// copied out in one exactly-sized allocation instead of growing its own array.
    var valueStack: [JSON] = []
    var memberStack: [JSONObject.Member] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count {
            throw error(.trailingCharacters(describeCharacter(at: position)))
        }
        return value
    }

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard position < bytes.count else { throw error(.unexpectedEndOfInput) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected()
        }
    }

    mutating func parseLiteral(_ word: StaticString, _ value: JSON) throws(JSONParseError) -> JSON {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in text {
            guard position < bytes.count else { throw error(.unexpectedEndOfInput) }
            guard bytes[position] == expected else { throw unexpected() }
            position += 1
        }
        return value
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enterContainer()
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array([])
        }
        let base = valueStack.count
        while true {
            skipWhitespace()
            valueStack.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                let elements = Array(valueStack[base...])
                valueStack.removeSubrange(base...)
                return .array(elements)
            default: throw unexpected()
            }
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enterContainer()
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(JSONObject())
        }
        let base = memberStack.count
        var lookup: [String: Int]? = nil
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw unexpected() }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            // Duplicate keys: last value wins, first position stays.
            if let existing = lookup != nil ? lookup?[key] : duplicatePosition(of: key, from: base) {
                memberStack[existing].value = value
            } else {
                memberStack.append(JSONObject.Member(key: key, value: value))
                if lookup != nil {
                    lookup?[key] = memberStack.count - 1
                } else if memberStack.count - base > 16 {
                    lookup = Dictionary(
                        uniqueKeysWithValues: (base..<memberStack.count).map { (memberStack[$0].key, $0) })
                }
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                let object = JSONObject(uniqueMembers: Array(memberStack[base...]))
                memberStack.removeSubrange(base...)
                return .object(object)
            default: throw unexpected()
            }
        }
    }

    private func duplicatePosition(of key: String, from base: Int) -> Int? {
        let length = key.utf8.count
        for position in base..<memberStack.count {
            let other = memberStack[position].key
            if other.utf8.count == length, other == key { return position }
        }
        return nil
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error(.nestingTooDeep(limit: maxDepth)) }
    }

    /// The current byte, or 0 at the end of input (0 is never valid where this is called, so the
    /// caller's "unexpected" path reports the end of input).
    @inline(__always)
    func peek() -> UInt8 {
        position < bytes.count ? bytes[position] : 0
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }
}
