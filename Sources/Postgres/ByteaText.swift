/// `[UInt8]` is `bytea`: sent in binary format, read from the `\x...` hex text output (or the older
/// escape format if a session switched `bytea_output`).
extension UInt8: PostgresArrayElement {
    public static func encodeArray(_ elements: [UInt8]) -> PostgresValue {
        .binary(elements, type: .bytea)
    }

    /// `bytea` decodes to its bytes; any other non-NULL column to the UTF-8 bytes of its text.
    public static func decodeArray(from cell: PostgresCell) throws -> [UInt8] {
        let bytes = try cell.requireValue([UInt8].self)
        guard cell.type == .bytea else { return Array(bytes) }
        guard let decoded = ByteaText.decode(bytes) else {
            throw cell.mismatch([UInt8].self, "malformed bytea text")
        }
        return decoded
    }
}

enum ByteaText {
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        if text.starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "x")]) {
            return decodeHex(text.dropFirst(2))
        }
        return decodeEscape(text)
    }

    private static func decodeHex(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func decodeEscape(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                index += 1
                continue
            }
            if index + 1 < text.endIndex, text[index + 1] == UInt8(ascii: "\\") {
                result.append(byte)
                index += 2
                continue
            }
            guard index + 3 < text.endIndex else { return nil }
            var value = 0
            for offset in 1...3 {
                let digit = text[index + offset]
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
                value = value * 8 + Int(digit - UInt8(ascii: "0"))
            }
            guard value <= 255 else { return nil }
            result.append(UInt8(value))
            index += 4
        }
        return result
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
