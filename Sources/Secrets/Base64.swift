/// RFC 4648 base64 in both alphabets, with a strict decoder.
///
/// The decoder rejects whitespace, stray characters, wrong padding and non-zero trailing bits, so
/// every byte string has exactly one accepted encoding; padding is optional on input.
public enum Base64 {
    /// The two RFC 4648 alphabets: `+/` (section 4) or `-_` (section 5, URL and filename safe).
    public enum Alphabet: Sendable {
        case standard
        case urlSafe
    }

    private static let standardTable = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafeTable = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let standardValues = reverseTable(standardTable)
    private static let urlSafeValues = reverseTable(urlSafeTable)
    private static let invalid: UInt8 = 0xFF
    private static let pad = UInt8(ascii: "=")

    private static func reverseTable(_ table: [UInt8]) -> [UInt8] {
        var values = [UInt8](repeating: invalid, count: 256)
        for (index, character) in table.enumerated() { values[Int(character)] = UInt8(index) }
        return values
    }

    /// Encodes `bytes`; `padding: false` drops the trailing `=` characters.
    public static func encode(
        _ bytes: some Collection<UInt8>, alphabet: Alphabet = .standard, padding: Bool = true
    )
        -> String
    {
        let table = alphabet == .standard ? standardTable : urlSafeTable
        var output = [UInt8]()
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = second == nil ? nil : iterator.next()
            output.append(table[Int(first >> 2)])
            output.append(table[Int((first & 0x03) << 4 | (second ?? 0) >> 4)])
            if let second {
                output.append(table[Int((second & 0x0F) << 2 | (third ?? 0) >> 6)])
            } else if padding {
                output.append(pad)
            }
            if let third {
                output.append(table[Int(third & 0x3F)])
            } else if padding {
                output.append(pad)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `text`, or returns nil if it is not canonical base64 in `alphabet`.
    public static func decode(_ text: String, alphabet: Alphabet = .standard) -> [UInt8]? {
        let values = alphabet == .standard ? standardValues : urlSafeValues
        var characters = Array(text.utf8)
        var padCount = 0
        while characters.last == pad {
            characters.removeLast()
            padCount += 1
        }
        let remainder = characters.count % 4
        if remainder == 1 || padCount > 2 { return nil }
        if padCount > 0 && (characters.count + padCount) % 4 != 0 { return nil }

        var output = [UInt8]()
        output.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for character in characters {
            let value = values[Int(character)]
            if value == invalid { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        // Leftover bits must be zero, otherwise two texts would decode to the same bytes.
        if accumulator != 0 { return nil }
        return output
    }
}
