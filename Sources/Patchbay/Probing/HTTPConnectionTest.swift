import JSON
import Outbound

/// An HTTP test: a prepared request, sent once through the outbound client, judged by its status
/// and, when the manifest asks, by values in its JSON body.
struct HTTPConnectionTest {
    let client: OutboundHTTPClient
    let request: PreparedRequest
    /// Statuses that pass; empty means any 2xx.
    let expectedStatuses: [Int]
    let expectation: JSONExpectation?
    let timeout: Duration
    let followsRedirects: Bool
    /// Scrubs credentials out of the URL and the response excerpt shown in details.
    let redactor: RequestRedactor

    /// At most this much of a failing response body is shown, as printable text.
    static let excerptLength = 200

    func run() async -> ConnectionTestResult {
        let host = URLParts.host(of: request.url) ?? "the server"
        var details = ["check": "http", "method": request.method, "url": redactor.redact(request).url]
        let response: OutboundHTTPResponse
        do {
            response = try await client.send(outboundRequest)
        } catch {
            var result = FailureWording.result(for: error, host: host, port: nil)
            result.details.merge(details) { ours, _ in ours }
            return result
        }
        let finalHost = URLParts.host(of: response.finalURL) ?? host
        details["status"] = String(response.status)
        details["remote_ip"] = response.remoteIP
        details["dns_ms"] = String(FailureWording.milliseconds(response.timing.dns))
        details["connect_ms"] = String(FailureWording.milliseconds(response.timing.connect))
        if response.timing.tls > .zero {
            details["tls_ms"] = String(FailureWording.milliseconds(response.timing.tls))
        }
        if response.redirectCount > 0 {
            details["redirects"] = String(response.redirectCount)
            details["final_url"] = redactor.redactURL(response.finalURL)
        }
        return judge(response, host: finalHost, details: details)
    }

    private var outboundRequest: OutboundHTTPRequest {
        OutboundHTTPRequest(
            method: request.method, url: request.url,
            headers: OutboundHTTPHeaders(request.headers.map { .init(name: $0.name, value: $0.value) }),
            body: request.body, timeout: timeout, redirects: followsRedirects ? .follow(max: 5) : .none)
    }

    /// Status first, then `expect_json`.
    private func judge(_ response: OutboundHTTPResponse, host: String, details: [String: String])
        -> ConnectionTestResult
    {
        let status = response.status
        let statusPasses =
            expectedStatuses.isEmpty ? (200...299).contains(status) : expectedStatuses.contains(status)
        guard statusPasses else {
            var details = details
            let excerpt = self.excerpt(response.body)
            if !excerpt.isEmpty { details["response_excerpt"] = excerpt }
            if status == 401 || status == 403 {
                return .failure(
                    .authRejected, "The service rejected the credentials (HTTP \(status)).", details: details)
            }
            return .failure(
                .unexpectedStatus, "HTTP \(status) from \(host), expected \(expectedText).", details: details)
        }
        guard let expectation, !expectation.checks.isEmpty else {
            return ConnectionTestResult(
                success: true, message: "HTTP \(status) from \(host).", details: details)
        }
        let paths = expectation.checks.map(\.path.rootedDescription).joined(separator: ", ")
        guard let body = try? JSON(parsing: response.body) else {
            var details = details
            details["response_excerpt"] = excerpt(response.body)
            return .failure(
                .unexpectedResponse,
                "HTTP \(status) from \(host), but the response is not JSON (expected \(paths)).",
                details: details)
        }
        let failures = expectation.failures(in: body)
        guard failures.isEmpty else {
            var details = details
            details["response_excerpt"] = excerpt(response.body)
            return .failure(
                .unexpectedResponse, "HTTP \(status) from \(host), but \(failures.joined(separator: "; ")).",
                details: details)
        }
        return ConnectionTestResult(
            success: true, message: "HTTP \(status) from \(host); \(paths) as expected.", details: details)
    }

    /// `200`, `200 or 204`, `2xx`.
    private var expectedText: String {
        guard !expectedStatuses.isEmpty else { return "2xx" }
        let texts = expectedStatuses.map(String.init)
        guard texts.count > 1 else { return texts[0] }
        return texts.dropLast().joined(separator: ", ") + " or " + texts[texts.count - 1]
    }

    /// The start of a body as one line of printable text, credentials scrubbed.
    private func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(4 * Self.excerptLength), as: UTF8.self)
        var printable = String(
            text.unicodeScalars.map { $0.value >= 0x20 && $0.value != 0x7f ? Character($0) : " " })
        printable = redactor.scrub(printable)
        guard printable.count > Self.excerptLength else { return printable }
        return String(printable.prefix(Self.excerptLength)) + "…"
    }
}

/// The pieces of a URL the messages need, without a full parser.
enum URLParts {
    /// `api.stripe.com` for `https://user:pw@api.stripe.com:443/v1?x`; brackets kept off IPv6.
    static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        let host = authority.prefix { $0 != ":" }
        return host.isEmpty ? nil : host.lowercased()
    }
}
