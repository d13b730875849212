/// Byte classes from RFC 9110 and RFC 3986, as lookup tables so the parser's inner loops stay cheap.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let percent: UInt8 = 0x25
    static let question: UInt8 = 0x3F
    static let slash: UInt8 = 0x2F
    static let semicolon: UInt8 = 0x3B

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// `tchar` of RFC 9110: the characters of a token (method, field name, transfer coding).
    static func isTokenChar(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }

    /// Bytes allowed in a field value: HTAB, SP, VCHAR and obs-text (no controls, no DEL).
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Bytes allowed raw in a request target: printable ASCII except space, `#`, and DEL.
    static func isTargetChar(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != 0x23
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Compares bytes with a lowercase ASCII literal, ignoring the bytes' case.
    static func equalsLowercase<C: Collection<UInt8>>(_ bytes: C, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { literal in
            zip(bytes, literal).allSatisfy { lowercased($0) == $1 }
        }
    }

    private static let tokenTable: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
