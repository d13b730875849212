import Foundation
import JSON
import Synchronization

/// A browser-like client: keeps cookies between requests, sends a same-origin `Origin`, and puts the
/// page's CSRF token (from `<meta name="csrf-token">` or the login form) on unsafe requests.
public final class TestSession: Sendable {
    public let client: TestHTTPClient
    private let state = Mutex(State())

    struct State {
        var cookies: [String: String] = [:]
        var csrfToken: String?
    }

    public init(client: TestHTTPClient) { self.client = client }

    /// `http://127.0.0.1:<port>`, what a browser on our pages sends as `Origin`.
    public var origin: String { "http://127.0.0.1:\(client.port)" }

    public var cookies: [String: String] { state.withLock { $0.cookies } }
    public func setCookie(_ name: String, _ value: String?) { state.withLock { $0.cookies[name] = value } }

    /// The CSRF token sent with unsafe requests (the last page's, unless set).
    public var csrfToken: String? {
        get { state.withLock { $0.csrfToken } }
        set { state.withLock { $0.csrfToken = newValue } }
    }

    public func get(_ path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send("GET", path, headers: headers)
    }

    /// A form post. `csrf` adds the token field; `origin` nil sends no `Origin` header.
    public func post(
        _ path: String, form: [(String, String)] = [], csrf: Bool = true, origin: String? = "",
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var fields = form
        if csrf, let token = csrfToken { fields.append(("csrf_token", token)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var all = headers + [("Content-Type", "application/x-www-form-urlencoded")]
        if let origin { all.append(("Origin", origin.isEmpty ? self.origin : origin)) }
        return try await send("POST", path, headers: all, body: Array(body.utf8))
    }

    /// A JSON request with the session cookie, `Origin` and `X-CSRF-Token`.
    public func api(_ method: String, _ path: String, json: JSON? = nil, csrf: Bool = true) async throws
        -> TestResponse
    {
        var headers = [("Origin", origin), ("Accept", "application/json")]
        if csrf, let token = csrfToken { headers.append(("X-CSRF-Token", token)) }
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await send(method, path, headers: headers, body: json?.serialized() ?? [])
    }

    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [])
        async throws -> TestResponse
    {
        var all = headers
        let jar = cookies
        if !jar.isEmpty {
            all.append(
                (
                    "Cookie",
                    jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                ))
        }
        let response = try await client.send(method, path, headers: all, body: body)
        remember(response)
        return response
    }

    /// Logs in through the login form, as a browser would.
    @discardableResult
    public func login(_ email: String, _ password: String, next: String? = nil) async throws -> TestResponse {
        _ = try await get("/login")
        var form = [("email", email), ("password", password)]
        if let next { form.append(("next", next)) }
        let response = try await post("/login", form: form)
        if response.status == 303, let page = try? await get("/settings/profile"), page.status == 200 {
            _ = page  // picks up the session's CSRF token from the page
        }
        return response
    }

    private func remember(_ response: TestResponse) {
        state.withLock { state in
            for header in response.headers("Set-Cookie") {
                let first = header.split(separator: ";", maxSplits: 1)[0]
                guard let equals = first.firstIndex(of: "=") else { continue }
                let name = String(first[..<equals]).trimmingCharacters(in: .whitespaces)
                let value = String(first[first.index(after: equals)...])
                if value.isEmpty || header.contains("Max-Age=0") {
                    state.cookies[name] = nil
                } else {
                    state.cookies[name] = value
                }
            }
            if let token = Self.csrfToken(in: response.text) { state.csrfToken = token }
        }
    }

    /// The token from `<meta name="csrf-token" content="...">` or a hidden `csrf_token` field.
    public static func csrfToken(in html: String) -> String? {
        for marker in ["<meta name=\"csrf-token\" content=\"", "name=\"csrf_token\" value=\""] {
            guard let start = html.range(of: marker)?.upperBound,
                let end = html[start...].firstIndex(of: "\"")
            else { continue }
            let token = String(html[start..<end])
            if !token.isEmpty { return token }
        }
        return nil
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
