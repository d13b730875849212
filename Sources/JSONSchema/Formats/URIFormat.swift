/// RFC 3986 syntax: `uri` (absolute, with scheme) and `uri-reference` (absolute or relative).
/// Only ASCII is allowed; anything else must be percent-encoded.
enum URIFormat {
    private static let unreserved = Set("-._~".utf8)
    private static let subDelimiters = Set("!$&'()*+,;=".utf8)

    static func isValid(_ bytes: Bytes, requiresScheme: Bool) -> Bool {
        var rest = bytes
        // A colon before any "/", "?" or "#" ends a scheme; so in a relative reference the first
        // path segment cannot contain one, and "1:b" is rejected as a malformed scheme.
        let firstDelimiter = rest.firstIndex { isDelimiter($0) || $0 == UInt8(ascii: ":") } ?? rest.endIndex
        if firstDelimiter < rest.endIndex, rest[firstDelimiter] == UInt8(ascii: ":") {
            guard isScheme(rest[..<firstDelimiter]) else { return false }
            rest = rest[(firstDelimiter + 1)...]
        } else if requiresScheme {
            return false
        }
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            guard isValid(rest[(hash + 1)...], allowing: "/?") else { return false }
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            guard isValid(rest[(question + 1)...], allowing: "/?") else { return false }
            rest = rest[..<question]
        }
        if rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
            let afterSlashes = rest.dropFirst(2)
            let end = afterSlashes.firstIndex(of: UInt8(ascii: "/")) ?? afterSlashes.endIndex
            guard isAuthority(afterSlashes[..<end]) else { return false }
            rest = afterSlashes[end...]
        }
        return isValid(rest, allowing: "/")
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }

    private static func isScheme(_ scheme: Bytes) -> Bool {
        guard let first = scheme.first, first.isASCIILetter else { return false }
        return scheme.allSatisfy {
            $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: ".")
        }
    }

    private static func isAuthority(_ authority: Bytes) -> Bool {
        var host = authority
        if let at = authority.firstIndex(of: UInt8(ascii: "@")) {
            guard isValid(authority[..<at], allowing: ":", allowsAt: false) else { return false }
            host = authority[(at + 1)...]
        }
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = host[(host.startIndex + 1)..<close]
            guard IPAddressFormat.isIPv6(literal) || isIPvFuture(literal) else { return false }
            host = host[(close + 1)...]
            guard host.isEmpty || host.first == UInt8(ascii: ":") else { return false }
        } else {
            let end = host.lastIndex(of: UInt8(ascii: ":")) ?? host.endIndex
            guard isValid(host[..<end], allowing: "", allowsColon: false, allowsAt: false) else {
                return false
            }
            host = host[end...]
        }
        // Whatever is left is ":port".
        return host.isEmpty || host.dropFirst().allSatisfy(\.isASCIIDigit)
    }

    private static func isIPvFuture(_ literal: Bytes) -> Bool {
        guard let first = literal.first, first | 0x20 == UInt8(ascii: "v"),
            let dot = literal.firstIndex(of: UInt8(ascii: "."))
        else {
            return false
        }
        let version = literal[(literal.startIndex + 1)..<dot]
        let rest = literal[(dot + 1)...]
        return !version.isEmpty && version.allSatisfy { hexDigitValue($0) != nil } && !rest.isEmpty
            && rest.allSatisfy { isUnreserved($0) || subDelimiters.contains($0) || $0 == UInt8(ascii: ":") }
    }

    /// pchar (unreserved, percent-encoded, sub-delims, ":" and "@") plus the extra characters given.
    private static func isValid(
        _ part: Bytes, allowing extra: String, allowsColon: Bool = true, allowsAt: Bool = true
    )
        -> Bool
    {
        var index = part.startIndex
        while index < part.endIndex {
            let byte = part[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < part.endIndex, hexDigitValue(part[index + 1]) != nil,
                    hexDigitValue(part[index + 2]) != nil
                else { return false }
                index += 3
                continue
            }
            let allowed =
                isUnreserved(byte) || subDelimiters.contains(byte)
                || (allowsColon && byte == UInt8(ascii: ":"))
                || (allowsAt && byte == UInt8(ascii: "@")) || extra.utf8.contains(byte)
            guard allowed else { return false }
            index += 1
        }
        return true
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        byte.isASCIILetter || byte.isASCIIDigit || unreserved.contains(byte)
    }
}
