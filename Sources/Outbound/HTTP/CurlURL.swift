import CCurl

/// An http or https URL, parsed by libcurl's own parser so that what is checked is exactly what
/// libcurl will connect to.
struct CurlURL {
    let text: String
    let scheme: String
    /// Host without IPv6 brackets, lower-cased by libcurl's normalisation.
    let host: String
    let port: Int

    /// Parses an absolute URL; throws `invalidURL` (with the URL redacted) if it is not http(s).
    init(_ text: String) throws {
        guard let url = curl_url() else { throw OutboundError.other("out of memory") }
        defer { curl_url_cleanup(url) }
        guard curl_url_set(url, CURLUPART_URL, text, 0) == CURLUE_OK else {
            throw OutboundError.invalidURL("'\(redactedURL(text))' is not an absolute URL")
        }
        let scheme = Self.part(url, CURLUPART_SCHEME)?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw OutboundError.invalidURL("only http and https URLs are supported, not '\(scheme)'")
        }
        guard var host = Self.part(url, CURLUPART_HOST), !host.isEmpty,
            let portText = Self.part(url, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)),
            let port = Int(portText)
        else {
            throw OutboundError.invalidURL("'\(redactedURL(text))' has no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.text = Self.part(url, CURLUPART_URL) ?? text
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
    }

    /// Whether a redirect from `self` to `other` stays on the same origin (credentials may follow).
    func isSameOrigin(as other: CurlURL) -> Bool {
        scheme == other.scheme && host == other.host && port == other.port
    }

    /// The `CURLOPT_RESOLVE` entry that pins this URL's host to the checked addresses.
    func resolveEntry(_ addresses: [IPAddress]) -> String {
        let list = addresses.map { $0.isIPv4 ? $0.description : "[\($0)]" }.joined(separator: ",")
        return "\(host):\(port):\(list)"
    }

    static func part(_ url: OpaquePointer, _ part: CURLUPart, flags: UInt32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(url, part, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}

/// `url` without user information, query string or fragment, for messages and logs.
public func redactedURL(_ url: String) -> String {
    redacted(
        url,
        dropping: [
            CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_QUERY, CURLUPART_FRAGMENT,
        ])
}

/// Only the scheme, host and port of `url`: what logs may carry, since paths can hold secrets too
/// (Telegram's bot token, templated API keys).
public func loggableOrigin(_ url: String) -> String {
    redacted(
        url,
        dropping: [
            CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_PATH, CURLUPART_QUERY,
            CURLUPART_FRAGMENT,
        ])
}

private func redacted(_ url: String, dropping parts: [CURLUPart]) -> String {
    guard let handle = curl_url() else { return "(URL)" }
    defer { curl_url_cleanup(handle) }
    guard curl_url_set(handle, CURLUPART_URL, url, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK else {
        // Not parseable: keep only what precedes any '@', '?' or '#', which cannot hold a secret.
        if parts.contains(CURLUPART_PATH) { return "(URL)" }
        let cut = url.split(whereSeparator: { "?#".contains($0) }).first.map(String.init) ?? ""
        return cut.contains("@") ? "(URL)" : cut
    }
    for part in parts {
        curl_url_set(handle, part, nil, 0)
    }
    return CurlURL.part(handle, CURLUPART_URL) ?? "(URL)"
}
