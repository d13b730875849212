/// HTML escaping of interpolated text: `&`, `<`, `>`, `"` and `'`.
enum HTMLEscaping {
    /// Bit `b` is set for each byte `b` (all below 64) that must be escaped.
    private static let escapedBytes: UInt64 =
        1 << 0x26 | 1 << 0x3C | 1 << 0x3E | 1 << 0x22 | 1 << 0x27

    @inline(__always)
    static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 64 && (escapedBytes >> UInt64(byte)) & 1 != 0
    }

    static func append(_ string: String, to output: inout ByteBuffer) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { append($0, to: &output) }
        if done == nil {
            var copy = string
            copy.withUTF8 { append($0, to: &output) }
        }
    }

    /// Copies runs of safe bytes in one go; most values contain nothing to escape. Eight-byte
    /// words are checked at once and only a word with something to escape is scanned bytewise.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout ByteBuffer) {
        guard let base = bytes.baseAddress else { return }
        var runStart = 0
        var position = 0
        while position < bytes.count {
            if bytes.count - position >= 8,
                !wordNeedsEscaping(UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            {
                position += 8
                continue
            }
            let wordEnd = min(position + 8, bytes.count)
            while position < wordEnd {
                if needsEscaping(bytes[position]) {
                    output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                    output.append(replacement(for: bytes[position]))
                    runStart = position + 1
                }
                position += 1
            }
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    /// Whether any byte of the word is one to escape (the classic "has zero byte" bit trick,
    /// applied to the word xor-ed with each escaped byte repeated).
    @inline(__always)
    private static func wordNeedsEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasByte(_ byte: UInt8) -> UInt64 {
            let difference = word ^ (ones &* UInt64(byte))
            return (difference &- ones) & ~difference & highBits
        }
        return hasByte(UInt8(ascii: "&")) | hasByte(UInt8(ascii: "<")) | hasByte(UInt8(ascii: ">"))
            | hasByte(UInt8(ascii: "\"")) | hasByte(UInt8(ascii: "'")) != 0
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
