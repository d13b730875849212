/// The parts of a request target (RFC 9112 section 3.2) that the server uses.
struct RequestTarget: Equatable {
    /// The path as received, still percent-encoded (`/` for an absolute-form target without one).
    var rawPath: String
    /// The percent-decoded path.
    var path: String
    /// The raw query string without the `?`, if any.
    var rawQuery: ArraySlice<UInt8>?

    /// Parses origin-form (`/p?q`), absolute-form (`http://host/p?q`) and asterisk-form (`*`,
    /// OPTIONS only). Returns nil for anything else, for bad escapes, for an encoded NUL and
    /// for a path that is not UTF-8 once decoded.
    static func parse(_ bytes: ArraySlice<UInt8>, method: HTTPMethod) -> RequestTarget? {
        guard let first = bytes.first, bytes.allSatisfy(ASCII.isTargetChar) else { return nil }
        if bytes.count == 1 && first == 0x2A {
            return method == .options ? RequestTarget(rawPath: "*", path: "*", rawQuery: nil) : nil
        }
        if first == ASCII.slash { return parseOrigin(bytes) }
        return parseAbsolute(bytes)
    }

    private static func parseOrigin(_ bytes: ArraySlice<UInt8>) -> RequestTarget? {
        let questionMark = bytes.firstIndex(of: ASCII.question)
        let rawPath = bytes[..<(questionMark ?? bytes.endIndex)]
        guard let decoded = PercentEncoding.decodeBytes(rawPath, plusAsSpace: false),
            !decoded.contains(0), let path = String(validating: decoded, as: UTF8.self)
        else { return nil }
        var rawQuery: ArraySlice<UInt8>?
        if let questionMark {
            let query = bytes[(questionMark + 1)...]
            guard hasWellFormedEscapes(query) else { return nil }
            rawQuery = query
        }
        return RequestTarget(
            rawPath: String(decoding: rawPath, as: UTF8.self), path: path, rawQuery: rawQuery)
    }

    /// `http://authority[/path][?query]`; no userinfo, no empty authority, no other scheme.
    private static func parseAbsolute(_ bytes: ArraySlice<UInt8>) -> RequestTarget? {
        let lowered = bytes.prefix(8).map(ASCII.lowercased)
        let schemeLength: Int
        if lowered.starts(with: Array("http://".utf8)) {
            schemeLength = 7
        } else if lowered.starts(with: Array("https://".utf8)) {
            schemeLength = 8
        } else {
            return nil
        }
        let afterScheme = bytes.dropFirst(schemeLength)
        let authorityEnd =
            afterScheme.firstIndex { $0 == ASCII.slash || $0 == ASCII.question } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains(0x40), !authority.contains(ASCII.percent) else {
            return nil
        }
        var rest = Array(afterScheme[authorityEnd...])
        if rest.first != ASCII.slash { rest.insert(ASCII.slash, at: 0) }
        return parseOrigin(rest[...])
    }

    private static func hasWellFormedEscapes(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == ASCII.percent {
                guard index + 2 < bytes.endIndex,
                    ASCII.hexValue(bytes[index + 1]) != nil, ASCII.hexValue(bytes[index + 2]) != nil
                else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }
}
