/// Dotted-quad IPv4 and RFC 4291 IPv6 text forms (no zone identifiers, no brackets, no prefix lengths).
enum IPAddressFormat {
    static func isIPv4(_ bytes: Bytes) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit),
                part.count == 1 || part.first != UInt8(ascii: "0"),
                let value = fixedDigits(part, 0, part.count), value <= 255
            else { return false }
        }
        return true
    }

    static func isIPv6(_ bytes: Bytes) -> Bool {
        guard !bytes.isEmpty else { return false }
        let colon = UInt8(ascii: ":")
        var groups: [Bytes] = bytes.split(separator: colon, omittingEmptySubsequences: false)
        var hasIPv4Tail = false
        if let last = groups.last, last.contains(UInt8(ascii: ".")) {
            guard isIPv4(last) else { return false }
            hasIPv4Tail = true
            groups.removeLast()
            groups.append(last[last.startIndex..<last.startIndex])  // counted separately below
        }
        // Find "::": an empty group between colons (or the empty edge groups it produces).
        let text = Array(bytes)
        var compressions = 0
        var index = 0
        while index + 1 < text.count {
            if text[index] == colon, text[index + 1] == colon {
                compressions += 1
                index += 2
                guard index >= text.count || text[index] != colon else { return false }
            } else {
                index += 1
            }
        }
        guard compressions <= 1 else { return false }
        // A lone leading or trailing colon (not part of "::") is invalid.
        if text.first == colon, !(text.count > 1 && text[1] == colon) { return false }
        if text.last == colon, !(text.count > 1 && text[text.count - 2] == colon) { return false }
        var count = hasIPv4Tail ? 2 : 0  // the dotted tail stands for two groups
        for (position, group) in groups.enumerated() {
            if hasIPv4Tail, position == groups.count - 1 { continue }
            if group.isEmpty { continue }
            guard group.count <= 4, group.allSatisfy({ hexDigitValue($0) != nil }) else { return false }
            count += 1
        }
        return compressions == 1 ? count <= 7 : count == 8
    }
}
