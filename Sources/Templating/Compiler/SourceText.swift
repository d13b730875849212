/// A template's source bytes with the names used in error messages.
struct SourceText {
    let bytes: [UInt8]
    let template: String
    let file: String

    init(bytes: [UInt8], template: String, file: String) {
        self.bytes = bytes
        self.template = template
        self.file = file
    }

    subscript(offset: Int) -> UInt8 { bytes[offset] }

    var count: Int { bytes.count }

    /// Line and column of a byte offset; columns count Unicode scalars, not bytes.
    func location(of offset: Int) -> SourceLocation {
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, bytes.count) where bytes[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = position + 1
        }
        var column = 1
        for position in lineStart..<min(offset, bytes.count) where bytes[position] & 0xC0 != 0x80 {
            column += 1
        }
        return SourceLocation(template: template, file: file, line: line, column: column)
    }

    func syntaxError(_ message: String, at offset: Int) -> TemplateError {
        .syntax(message, at: location(of: offset))
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// Position of the first occurrence of `needle` at or after `from`.
    func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var position = from
        let last = bytes.count - needle.count
        while position <= last {
            if bytes[position] == first {
                var offset = 1
                while offset < needle.count && bytes[position + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return position }
            }
            position += 1
        }
        return nil
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// The leading spaces and tabs of a byte range.
    func leadingBlanks(_ range: Range<Int>) -> [UInt8] {
        var end = range.lowerBound
        while end < range.upperBound && Self.isBlank(bytes[end]) { end += 1 }
        return Array(bytes[range.lowerBound..<end])
    }

    func isBlank(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy(Self.isBlank)
    }
}
