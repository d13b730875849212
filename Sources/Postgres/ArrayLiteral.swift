/// PostgreSQL's array text format, one-dimensional: `{a,"b c",NULL,"say \"hi\""}`.
enum ArrayLiteral {
    struct Failure: Error {
        var text: String
    }

    /// Quotes every element, so no element text can be mistaken for a delimiter or for NULL.
    static func format(_ values: [PostgresValue]) -> String {
        var result = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { result += "," }
            switch value {
            case .null:
                result += "NULL"
            case .text(let text, _):
                appendQuoted(text, to: &result)
            case .binary(let bytes, _):
                appendQuoted(ByteaText.hex(bytes), to: &result)
            }
        }
        return result + "}"
    }

    private static func appendQuoted(_ text: String, to result: inout String) {
        result += "\""
        for character in text {
            if character == "\"" || character == "\\" { result += "\\" }
            result.append(character)
        }
        result += "\""
    }

    /// Splits an array literal into element bytes (nil for NULL), undoing quoting and escapes.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(Failure) -> [[UInt8]?] {
        var rest = bytes
        // Arrays with lower bounds other than 1 are printed with a `[2:3]=` prefix.
        if rest.first == UInt8(ascii: "[") {
            guard let equals = rest.firstIndex(of: UInt8(ascii: "=")) else {
                throw Failure(text: "bad bounds")
            }
            rest = rest[rest.index(after: equals)...]
        }
        guard rest.first == UInt8(ascii: "{"), rest.last == UInt8(ascii: "}") else {
            throw Failure(text: "not an array literal")
        }
        rest = rest.dropFirst().dropLast()
        var elements: [[UInt8]?] = []
        guard !rest.isEmpty else { return elements }
        var iterator = rest.makeIterator()
        var current: [UInt8] = []
        var wasQuoted = false
        var inQuotes = false
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "\\"):
                guard let escaped = iterator.next() else { throw Failure(text: "dangling backslash") }
                current.append(escaped)
            case UInt8(ascii: "\""):
                inQuotes.toggle()
                wasQuoted = true
            case UInt8(ascii: "{") where !inQuotes:
                throw Failure(text: "multi-dimensional arrays are not supported")
            case UInt8(ascii: ",") where !inQuotes:
                elements.append(finish(current, wasQuoted))
                current.removeAll(keepingCapacity: true)
                wasQuoted = false
            default:
                current.append(byte)
            }
        }
        guard !inQuotes else { throw Failure(text: "unterminated quoted element") }
        elements.append(finish(current, wasQuoted))
        return elements
    }

    private static func finish(_ element: [UInt8], _ wasQuoted: Bool) -> [UInt8]? {
        if !wasQuoted, element.count == 4, String(decoding: element, as: UTF8.self).uppercased() == "NULL" {
            return nil
        }
        return element
    }
}
