/// Big-endian reads over a received frame; running past the end is a protocol error.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0
    private let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw OutboundError.protocolError("\(what) is cut short")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func uint(_ width: Int) throws -> Int {
        try take(width).reduce(0) { $0 << 8 | Int($1) }
    }
}
