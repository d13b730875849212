/// Reads the text of a `JSONPath`, byte by byte.
struct JSONPathParser {
    private let text: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// Whether `key` can be written without quotes.
    static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.first != UInt8(ascii: "$") && key.utf8.allSatisfy(isBareByte)
    }

    static func isBareByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\""), UInt8(ascii: "'"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: " "), 0x7F:
            false
        default:
            byte >= 0x20
        }
    }

    mutating func parse() throws(RequestError) -> [JSONPath.Segment] {
        var segments: [JSONPath.Segment] = []
        if peek == UInt8(ascii: "$") {
            position += 1
            if position == bytes.count { return [] }
            guard peek == UInt8(ascii: ".") || peek == UInt8(ascii: "[") else {
                throw failure("expected '.' or '[' after '$'")
            }
            if peek == UInt8(ascii: ".") { position += 1 }
        }
        guard position < bytes.count else { throw failure("expected a name") }
        segments.append(try peek == UInt8(ascii: "[") ? bracket() : bareKey())
        while let byte = peek {
            if byte == UInt8(ascii: ".") {
                position += 1
                segments.append(try bareKey())
            } else if byte == UInt8(ascii: "[") {
                segments.append(try bracket())
            } else {
                throw failure("expected '.' or '['")
            }
        }
        return segments
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func bareKey() throws(RequestError) -> JSONPath.Segment {
        let start = position
        while let byte = peek, Self.isBareByte(byte) { position += 1 }
        guard position > start else { throw failure("expected a name") }
        return .key(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func bracket() throws(RequestError) -> JSONPath.Segment {
        position += 1  // "["
        let segment: JSONPath.Segment
        switch peek {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            segment = .key(try quoted())
        case let byte? where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"):
            segment = .index(try index())
        default:
            throw failure("expected an index or a quoted name after '['")
        }
        guard peek == UInt8(ascii: "]") else { throw failure("expected ']'") }
        position += 1
        return segment
    }

    private mutating func index() throws(RequestError) -> Int {
        var value = 0
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { throw failure("index too large") }
            value = sum
            position += 1
        }
        return value
    }

    private mutating func quoted() throws(RequestError) -> String {
        let quote = bytes[position]
        position += 1
        var key: [UInt8] = []
        while let byte = peek {
            position += 1
            if byte == quote { return String(decoding: key, as: UTF8.self) }
            if byte == UInt8(ascii: "\\"), let next = peek {
                key.append(next)
                position += 1
            } else {
                key.append(byte)
            }
        }
        throw failure("unterminated quoted name")
    }

    private func failure(_ message: String) -> RequestError {
        RequestError(.invalidPath, "invalid path '\(text)': \(message) at offset \(position)")
    }
}
