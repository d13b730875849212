/// Percent-decoding (RFC 3986) and `application/x-www-form-urlencoded` parsing.
public enum PercentEncoding {
    /// Decodes `%XX` escapes; with `plusAsSpace` also turns `+` into a space (form encoding).
    /// Returns nil on a malformed escape or when the result is not valid UTF-8.
    public static func decode<C: Collection<UInt8>>(_ bytes: C, plusAsSpace: Bool = false) -> String? {
        guard let decoded = decodeBytes(bytes, plusAsSpace: plusAsSpace) else { return nil }
        return String(validating: decoded, as: UTF8.self)
    }

    /// Decodes a string; see ``decode(_:plusAsSpace:)``.
    public static func decode(_ string: String, plusAsSpace: Bool = false) -> String? {
        decode(Array(string.utf8), plusAsSpace: plusAsSpace)
    }

    static func decodeBytes<C: Collection<UInt8>>(_ bytes: C, plusAsSpace: Bool) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == ASCII.percent {
                let first = bytes.index(after: index)
                guard first != bytes.endIndex else { return nil }
                let second = bytes.index(after: first)
                guard second != bytes.endIndex, let high = ASCII.hexValue(bytes[first]),
                    let low = ASCII.hexValue(bytes[second])
                else { return nil }
                output.append(high << 4 | low)
                index = bytes.index(after: second)
                continue
            }
            output.append(plusAsSpace && byte == 0x2B ? ASCII.space : byte)
            index = bytes.index(after: index)
        }
        return output
    }

    /// Parses `a=1&b=two+words` into ordered pairs. Pairs that fail to decode are skipped;
    /// a name without `=` gets an empty value.
    public static func parseForm<C: Collection<UInt8>>(_ bytes: C) -> [(String, String)]
    where C.SubSequence: Collection<UInt8> {
        var pairs: [(String, String)] = []
        for part in bytes.split(separator: 0x26, omittingEmptySubsequences: true) {
            let pieces = part.split(separator: 0x3D, maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pieces[0], plusAsSpace: true) else { continue }
            let value = pieces.count > 1 ? decode(pieces[1], plusAsSpace: true) : ""
            guard let value else { continue }
            pairs.append((name, value))
        }
        return pairs
    }

    /// Escapes everything but RFC 3986 unreserved characters (for building URLs and forms).
    public static func encode(_ string: String) -> String {
        var output: [UInt8] = []
        for byte in string.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E:
                output.append(byte)
            default:
                output.append(ASCII.percent)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
