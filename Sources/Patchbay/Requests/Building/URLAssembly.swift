/// Checks a rendered URL and appends the query parameters, percent-encoded.
enum URLAssembly {
    /// `url` with `query` appended (names and values encoded as URL components) and any fragment
    /// removed, since fragments are never sent. Throws unless the URL is absolute http(s) with a host.
    static func assemble(_ url: String, query: [(name: String, value: String)]) throws(RequestError) -> String
    {
        var base = url
        if let hash = base.firstIndex(of: "#") { base = String(base[..<hash]) }
        try check(base)
        guard !query.isEmpty else { return base }
        let encoded = query.map {
            TextEncoding.percentEncodeComponent($0.name) + "=" + TextEncoding.percentEncodeComponent($0.value)
        }.joined(separator: "&")
        if !base.contains("?") { return base + "?" + encoded }
        return base.hasSuffix("?") || base.hasSuffix("&") ? base + encoded : base + "&" + encoded
    }

    /// The scheme and authority; the host is what remains after userinfo and port.
    private static func check(_ url: String) throws(RequestError) {
        let lowered = url.lowercased()
        guard let schemeEnd = lowered.hasPrefix("https://") ? 8 : lowered.hasPrefix("http://") ? 7 : nil
        else {
            throw .invalidValue("url: the URL must be an absolute http or https URL")
        }
        let rest = url.utf8.dropFirst(schemeEnd)
        let authority = rest.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
        let hostAndPort =
            authority.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false).last ?? []
        var host = hostAndPort[...]
        if let colon = hostAndPort.lastIndex(of: UInt8(ascii: ":")),
            !hostAndPort[colon...].contains(UInt8(ascii: "]"))
        {
            host = hostAndPort[..<colon]
            let port = hostAndPort[hostAndPort.index(after: colon)...]
            guard port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), port.count <= 5
            else {
                throw .invalidValue("url: the port is not a number")
            }
        }
        guard !host.isEmpty else { throw .invalidValue("url: the URL has no host") }
    }
}
