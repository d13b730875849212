import Logging

/// HTTP(S) requests to user-configured hosts, through libcurl, under an `OutboundPolicy`.
///
/// Each hop resolves its host once, checks every address, pins libcurl to those addresses
/// (`CURLOPT_RESOLVE`), refuses any socket to another address and any reused connection whose
/// peer is not one of them (see `CurlSession`). Redirects are followed here rather than by
/// libcurl, so every new destination goes through the same check. Transfers run on the long-lived
/// threads of `transfers`, never on Swift's cooperative pool; connections stay open between
/// requests.
public struct OutboundHTTPClient: Sendable {
    public let policy: OutboundPolicy
    public let network: OutboundNetwork
    public let userAgent: String
    public let logger: Logger
    /// The threads (and their libcurl handles) transfers run on.
    public let transfers: TransferThreads

    public init(
        policy: OutboundPolicy = OutboundPolicy(), network: OutboundNetwork = .live,
        userAgent: String = "Patchbay", logger: Logger = Logger(label: "outbound.http"),
        transfers: TransferThreads = .shared
    ) {
        self.policy = policy
        self.network = network
        self.userAgent = userAgent
        self.logger = logger
        self.transfers = transfers
    }

    /// Sends `request` and returns the final response (any status code is a response).
    /// Throws `OutboundError`; its text never includes header values or the body.
    public func send(_ request: OutboundHTTPRequest) async throws -> OutboundHTTPResponse {
        let started = ContinuousClock.now
        do {
            let response = try await transfers.run { session, cancellation in
                try perform(request, session: session, cancellation: cancellation)
            }
            logger.debug(
                "outbound request done",
                metadata: [
                    "method": "\(request.method)", "origin": "\(loggableOrigin(request.url))",
                    "status": "\(response.status)",
                    "ms": "\(response.timing.total / .milliseconds(1))",
                ])
            return response
        } catch {
            logger.debug(
                "outbound request failed",
                metadata: [
                    "method": "\(request.method)", "origin": "\(loggableOrigin(request.url))",
                    "error": "\(error)",
                    "ms": "\((ContinuousClock.now - started) / .milliseconds(1))",
                ])
            throw error
        }
    }

    /// The redirect loop; runs on a transfer thread, with that thread's session.
    private func perform(
        _ request: OutboundHTTPRequest, session: CurlSession, cancellation: CancellationFlag
    ) throws -> OutboundHTTPResponse {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + request.timeout
        var url = try CurlURL(request.url)
        var method = request.method
        var headers = request.headers
        var body = request.body
        var timing = OutboundTiming()
        var redirects = 0
        while true {
            if cancellation.isCancelled { throw OutboundError.cancelled }
            let destination = try CheckedDestination.resolve(
                host: url.host, port: url.port, policy: policy, network: network)
            timing.dns += destination.lookupTime
            let remaining = deadline - clock.now
            guard remaining > .zero else { throw OutboundError.timeout(after: request.timeout) }
            let hop = CurlHop(
                easy: try session.handle(for: destination), url: url, destination: destination,
                method: method, headers: headers, body: body,
                timeout: remaining, maxResponseBytes: request.maxResponseBytes, userAgent: userAgent,
                network: network, cancellation: cancellation)
            let outcome: CurlHop.Outcome
            do {
                outcome = try hop.run()
            } catch {
                // Whatever went wrong may have left a connection mid-exchange.
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
                continue
            }
            timing.total = clock.now - start
            return OutboundHTTPResponse(
                status: outcome.status, headers: outcome.headers, body: outcome.body, timing: timing,
                finalURL: url.text, remoteIP: outcome.remoteIP, redirectCount: redirects)
        }
    }

    /// 303 always, and 301/302 after a POST, turn into a GET without body (as browsers do);
    /// 307 and 308 repeat the request as it was.
    static func redirectBecomesGet(status: Int, method: String) -> Bool {
        let upper = method.uppercased()
        if status == 303 { return upper != "HEAD" }
        return (status == 301 || status == 302) && upper == "POST"
    }
}
