extension JSONParser {
    /// Parses a string starting at its opening quote. Strings without escapes are sliced directly.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = position + 1
        var index = start
        // Scan with a local index: plain ASCII runs are the common case and stay in registers.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                position = index
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                return try parseEscapedRemainder()
            }
            if byte < 0x20 {
                position = index
                throw error(.controlCharacterInString(byte))
            }
            if byte < 0x80 {
                index += 1
            } else {
                position = index
                try skipMultibyteScalar()
                index = position
            }
        }
        throw error(.unterminatedString, at: start - 1)
    }

    /// Continues a string that contains escapes, building it in `scratch`.
    mutating func parseEscapedRemainder() throws(JSONParseError) -> String {
        let opening = position
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape()
            case 0..<0x20:
                throw error(.controlCharacterInString(byte))
            case 0x20..<0x80:
                scratch.append(byte)
                position += 1
            default:
                let start = position
                try skipMultibyteScalar()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            }
        }
        throw error(.unterminatedString, at: opening)
    }

    mutating func appendEscape() throws(JSONParseError) {
        let start = position
        guard position + 1 < bytes.count else { throw error(.unterminatedString) }
        let code = bytes[position + 1]
        position += 2
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(code)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var value = try readHex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(value) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw error(.loneSurrogate(escapeText(from: start)), at: start) }
                let lowStart = position
                position += 2
                let low = try readHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(.loneSurrogate(escapeText(from: start, length: 6)), at: start)
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(value) {
                throw error(.loneSurrogate(escapeText(from: start)), at: start)
            }
            // Surrogates were handled above, so this always succeeds.
            if let scalar = Unicode.Scalar(value) { scratch.append(contentsOf: UTF8.encode(scalar)!) }
        default:
            throw error(.invalidEscape(escapeText(from: start, length: 2)), at: start)
        }
    }

    mutating func readHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw error(.unterminatedString) }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw error(
                    .invalidEscape(escapeText(from: escapeStart, length: position - escapeStart + 1)),
                    at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    func escapeText(from start: Int, length: Int = 6) -> String {
        let end = min(bytes.count, start + length)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Checks one well-formed UTF-8 sequence of two to four bytes (Unicode Table 3-7: no overlong forms,
    /// no surrogates, nothing past U+10FFFF) and moves past it.
    mutating func skipMultibyteScalar() throws(JSONParseError) {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw error(.invalidUTF8)
        }
        guard position + length <= bytes.count else { throw error(.invalidUTF8) }
        guard secondRange.contains(bytes[position + 1]) else { throw error(.invalidUTF8) }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[position + offset]) {
            throw error(.invalidUTF8)
        }
        position += length
    }
}
