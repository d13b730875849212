/// How `JSON.serialized(options:)` writes text.
public struct JSONWriteOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Newlines and two-space indentation, `"key": value`.
    public static let prettyPrinted = JSONWriteOptions(rawValue: 1 << 0)
    /// Object keys in code-point order instead of insertion order.
    public static let sortedKeys = JSONWriteOptions(rawValue: 1 << 1)
    /// Writes `</` as `<\/` and U+2028/U+2029 as escapes, so the output can sit inside an HTML
    /// `<script>` element.
    public static let escapeForHTML = JSONWriteOptions(rawValue: 1 << 2)
}

extension JSON: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { serializedString() }

    /// The value as UTF-8 JSON text. Non-finite doubles (which no parsed value holds) are written as
    /// `null`, since JSON cannot express them.
    public func serialized(options: JSONWriteOptions = []) -> [UInt8] {
        var writer = JSONWriter(options: options)
        writer.write(self)
        return writer.output
    }

    /// The value as JSON text.
    public func serializedString(options: JSONWriteOptions = []) -> String {
        String(decoding: serialized(options: options), as: UTF8.self)
    }
}

struct JSONWriter {
    let options: JSONWriteOptions
    var output: [UInt8] = []
    var indent = 0

    init(options: JSONWriteOptions) {
        self.options = options
        output.reserveCapacity(256)
    }

    mutating func write(_ value: JSON) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number): append(number.isFinite ? number.description : "null")
        case .string(let text): writeString(text)
        case .array(let elements): writeArray(elements)
        case .object(let object): writeObject(object)
        }
    }

    mutating func writeArray(_ elements: [JSON]) {
        guard !elements.isEmpty else { return append("[]") }
        output.append(UInt8(ascii: "["))
        indent += 1
        for (position, element) in elements.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            newline()
            write(element)
        }
        indent -= 1
        newline()
        output.append(UInt8(ascii: "]"))
    }

    mutating func writeObject(_ object: JSONObject) {
        guard !object.isEmpty else { return append("{}") }
        output.append(UInt8(ascii: "{"))
        indent += 1
        if options.contains(.sortedKeys) {
            let order = object.indices.sorted {
                object[$0].key.unicodeScalars.lexicographicallyPrecedes(object[$1].key.unicodeScalars)
            }
            for (count, position) in order.enumerated() {
                writeMember(of: object, at: position, isFirst: count == 0)
            }
        } else {
            for position in object.indices { writeMember(of: object, at: position, isFirst: position == 0) }
        }
        indent -= 1
        newline()
        output.append(UInt8(ascii: "}"))
    }

    mutating func writeMember(of object: JSONObject, at position: Int, isFirst: Bool) {
        if !isFirst { output.append(UInt8(ascii: ",")) }
        newline()
        let (key, value) = object[position]
        writeString(key)
        output.append(UInt8(ascii: ":"))
        if options.contains(.prettyPrinted) { output.append(UInt8(ascii: " ")) }
        write(value)
    }

    mutating func writeInteger(_ number: Int64) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, written backwards
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(contentsOf: buffer[index...])
        }
    }

    mutating func newline() {
        guard options.contains(.prettyPrinted) else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { writeEscaped($0) }
    }

    mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        output.append(UInt8(ascii: "\""))
        let forHTML = options.contains(.escapeForHTML)
        var runStart = 0
        var position = 0
        // Copy runs of bytes that need no escaping in one go.
        while position < bytes.count {
            let byte = bytes[position]
            guard Self.needsEscape(byte, forHTML: forHTML) else {
                position += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            var consumed = 1
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case UInt8(ascii: "/"):
                append(position > 0 && bytes[position - 1] == UInt8(ascii: "<") ? "\\/" : "/")
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 / E2 80 A9; other E2 sequences pass through.
                if position + 2 < bytes.count, bytes[position + 1] == 0x80,
                    bytes[position + 2] == 0xA8 || bytes[position + 2] == 0xA9
                {
                    append(bytes[position + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    consumed = 3
                } else {
                    output.append(byte)
                }
            default: append("\\u" + hex(byte, width: 4).lowercased())
            }
            position += consumed
            runStart = position
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        output.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8, forHTML: Bool) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            || (forHTML && (byte == UInt8(ascii: "/") || byte == 0xE2))
    }
}
