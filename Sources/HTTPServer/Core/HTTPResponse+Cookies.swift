extension HTTPResponse {
    /// Adds a `Set-Cookie` field. Defaults suit a session cookie: whole site, not readable from
    /// scripts, `SameSite=Lax`.
    public mutating func setCookie(
        _ name: String, _ value: String, path: String = "/", maxAge: Int? = nil, httpOnly: Bool = true,
        secure: Bool = false, sameSite: String? = "Lax"
    ) {
        var field = "\(name)=\(value); Path=\(path)"
        if let maxAge { field += "; Max-Age=\(maxAge)" }
        if httpOnly { field += "; HttpOnly" }
        if secure { field += "; Secure" }
        if let sameSite { field += "; SameSite=\(sameSite)" }
        headers.add(name: "Set-Cookie", value: field)
    }
}
