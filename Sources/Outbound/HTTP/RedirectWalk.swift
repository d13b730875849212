/// One request's way through its redirects: the hop to make next, and what each hop's outcome
/// means. Redirects are followed here rather than by libcurl, so that every new destination is
/// resolved and checked like the first; the client drives the walk on a transfer thread or on an
/// event loop.
struct RedirectWalk {
    let request: OutboundHTTPRequest
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let deadline: ContinuousClock.Instant
    /// Where the next hop goes.
    private(set) var url: CurlURL
    private var method: String
    private var headers: OutboundHTTPHeaders
    private var body: [UInt8]
    private var timing = OutboundTiming()
    private var redirects = 0

    init(_ request: OutboundHTTPRequest) throws {
        self.request = request
        start = clock.now
        deadline = start + request.timeout
        url = try CurlURL(request.url)
        method = request.method
        headers = request.headers
        body = request.body
    }

    /// The next hop, to `destination` (the checked addresses of `url`'s host) on `easy`; throws
    /// `timeout` when the request's time is already up.
    mutating func hop(
        to destination: CheckedDestination, on easy: CurlEasy, userAgent: String, network: OutboundNetwork,
        cancellation: CancellationFlag
    ) throws -> CurlHop {
        timing.dns += destination.lookupTime
        let remaining = deadline - clock.now
        guard remaining > .zero else { throw OutboundError.timeout(after: request.timeout) }
        return CurlHop(
            easy: easy, url: url, destination: destination, method: method, headers: headers, body: body,
            timeout: remaining, maxResponseBytes: request.maxResponseBytes, userAgent: userAgent,
            network: network, cancellation: cancellation)
    }

    /// Takes how the hop to `destination` in `session` went: the final response, or nil when the
    /// walk goes on to a redirect's target. A failed hop drops the session's handle (it may have
    /// left a connection mid-exchange) and throws.
    mutating func take(
        _ result: Result<CurlHop.Outcome, Error>, of destination: CheckedDestination, in session: CurlSession
    ) throws -> OutboundHTTPResponse? {
        let outcome: CurlHop.Outcome
        switch result {
        case .success(let success): outcome = success
        case .failure(let error):
            session.discard()
            if case OutboundError.timeout = error { throw OutboundError.timeout(after: request.timeout) }
            throw error
        }
        session.record(remoteIP: outcome.remoteIP, for: destination)
        timing.connect += outcome.connect
        timing.tls += outcome.tls
        if case .follow(let limit) = request.redirects, (300...399).contains(outcome.status),
            outcome.status != 304, let next = outcome.redirectURL
        {
            guard redirects < limit else { throw OutboundError.tooManyRedirects(limit: limit) }
            redirects += 1
            let nextURL = try CurlURL(next)
            if !url.isSameOrigin(as: nextURL) {
                for name in ["Authorization", "Cookie", "Proxy-Authorization"] { headers.remove(name) }
            }
            if Self.redirectBecomesGet(status: outcome.status, method: method) {
                method = "GET"
                body = []
                headers.remove("Content-Type")
                headers.remove("Content-Length")
            }
            url = nextURL
            return nil
        }
        timing.total = clock.now - start
        return OutboundHTTPResponse(
            status: outcome.status, headers: outcome.headers, body: outcome.body, timing: timing,
            finalURL: url.text, remoteIP: outcome.remoteIP, redirectCount: redirects)
    }

    /// 303 always, and 301/302 after a POST, turn into a GET without body (as browsers do);
    /// 307 and 308 repeat the request as it was.
    static func redirectBecomesGet(status: Int, method: String) -> Bool {
        let upper = method.uppercased()
        if status == 303 { return upper != "HEAD" }
        return (status == 301 || status == 302) && upper == "POST"
    }
}
