import HTTPServer

/// How the app is reached from browsers.
public struct WebSettings: Sendable {
    /// `PATCHBAY_PUBLIC_URL`, e.g. `https://patchbay.example.com`. With `https://`, cookies get
    /// `Secure` and the `__Host-` prefix, and only that origin passes the CSRF origin check.
    public var publicURL: String?

    public init(publicURL: String? = nil) {
        self.publicURL = publicURL.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Served over TLS (directly or behind a proxy).
    public var isSecure: Bool { publicURL?.lowercased().hasPrefix("https://") == true }

    /// `__Host-` cookies must be `Secure`, `Path=/` and carry no `Domain`: no subdomain can set or
    /// shadow them.
    func cookieName(_ base: String) -> String { isSecure ? "__Host-" + base : base }

    var sessionCookie: String { cookieName("pb_session") }
    var loginCookie: String { cookieName("pb_login") }
    var flashCookie: String { cookieName("pb_flash") }

    /// `scheme://host[:port]` of the public URL, lowercased.
    var publicOrigin: String? {
        guard let publicURL, let schemeEnd = publicURL.range(of: "://") else { return nil }
        let afterScheme = publicURL[schemeEnd.upperBound...]
        let host = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return (publicURL[..<schemeEnd.upperBound] + host).lowercased()
    }

    /// Whether the `Origin` a browser sent is this site's own. Without a public URL, the request's
    /// `Host` is the site (with either scheme: a TLS proxy may sit in front).
    func isOwnOrigin(_ origin: String, request: HTTPRequest) -> Bool {
        let origin = origin.lowercased()
        if let publicOrigin { return origin == publicOrigin }
        guard let host = request.headers["Host"]?.lowercased(), !host.isEmpty else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }

    /// Adds a cookie with the app's attributes (HttpOnly, SameSite=Lax, Path=/, Secure over TLS).
    func setCookie(_ name: String, _ value: String, maxAge: Int?, on response: inout HTTPResponse) {
        response.setCookie(
            name, value, path: "/", maxAge: maxAge, httpOnly: true, secure: isSecure, sameSite: "Lax")
    }

    func clearCookie(_ name: String, on response: inout HTTPResponse) {
        setCookie(name, "", maxAge: 0, on: &response)
    }
}
