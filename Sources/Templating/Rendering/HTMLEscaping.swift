/// HTML escaping of interpolated text: `&`, `<`, `>`, `"` and `'`.
enum HTMLEscaping {
    /// Bit `b` is set for each byte `b` (all below 64) that must be escaped.
    private static let escapedBytes: UInt64 =
        1 << 0x26 | 1 << 0x3C | 1 << 0x3E | 1 << 0x22 | 1 << 0x27

    @inline(__always)
    static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 64 && (escapedBytes >> UInt64(byte)) & 1 != 0
    }

    static func append(_ string: String, to output: inout OutputBuffer) {
        var string = string
        string.withUTF8 { append($0, to: &output) }
    }

    /// Copies runs of safe bytes in one go; most values contain nothing to escape.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
        var runStart = 0
        for position in 0..<bytes.count where needsEscaping(bytes[position]) {
            output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            output.append(replacement(for: bytes[position]))
            runStart = position + 1
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    private static func replacement(for byte: UInt8) -> StaticString {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        default: "&#39;"
        }
    }
}
