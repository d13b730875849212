import Logging

/// HTTP(S) requests to user-configured hosts, through libcurl, under an `OutboundPolicy`.
///
/// Each hop resolves its host once, checks every address, pins libcurl to those addresses
/// (`CURLOPT_RESOLVE`), refuses any socket to another address and any reused connection whose
/// peer is not one of them (see `CurlSession`). Redirects are followed here rather than by
/// libcurl, so every new destination goes through the same check (`RedirectWalk`).
///
/// A plain http request sent from an event loop that `loop`'s waiter can wait on is driven right
/// there, libcurl's sockets watched by the loop (`CurlMulti`). https requests, requests beyond
/// `loop`'s limit and requests from anywhere else run on the long-lived threads of `transfers`.
/// None runs on Swift's cooperative pool, which a blocking call would hold up, and either way
/// connections stay open between requests.
public struct OutboundHTTPClient: Sendable {
    public let policy: OutboundPolicy
    public let network: OutboundNetwork
    public let userAgent: String
    public let logger: Logger
    /// The threads (and their libcurl handles) transfers run on off an event loop.
    public let transfers: TransferThreads
    /// The sessions and the waiter of transfers driven on an event loop; nil: always `transfers`.
    public let loop: LoopTransfers?

    public init(
        policy: OutboundPolicy = OutboundPolicy(), network: OutboundNetwork = .live,
        userAgent: String = "Patchbay", logger: Logger = Logger(label: "outbound.http"),
        transfers: TransferThreads = .shared, loop: LoopTransfers? = nil
    ) {
        self.policy = policy
        self.network = network
        self.userAgent = userAgent
        self.logger = logger
        self.transfers = transfers
        self.loop = loop
    }

    /// Sends `request` and returns the final response (any status code is a response).
    /// Throws `OutboundError`; its text never includes header values or the body.
    public func send(_ request: OutboundHTTPRequest) async throws -> OutboundHTTPResponse {
        let started = ContinuousClock.now
        do {
            let response: OutboundHTTPResponse
            if let loop, loop.waiter.isAvailable, Self.isPlainHTTP(request.url),
                let session = loop.takeSession()
            {
                defer { loop.putBack(session) }
                let flag = CancellationFlag()
                response = try await withTaskCancellationHandler {
                    try await performOnLoop(
                        request, session: session, waiter: loop.waiter, cancellation: flag)
                } onCancel: {
                    flag.cancel()
                }
            } else {
                response = try await transfers.run { session, cancellation in
                    try perform(request, session: session, cancellation: cancellation)
                }
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

    /// The request on a transfer thread, with that thread's session.
    private func perform(
        _ request: OutboundHTTPRequest, session: CurlSession, cancellation: CancellationFlag
    ) throws -> OutboundHTTPResponse {
        var walk = try RedirectWalk(request)
        while true {
            if cancellation.isCancelled { throw OutboundError.cancelled }
            let destination = try CheckedDestination.resolve(
                host: walk.url.host, port: walk.url.port, policy: policy, network: network)
            let hop = try walk.hop(
                to: destination, on: try session.handle(for: destination), userAgent: userAgent,
                network: network, cancellation: cancellation)
            if let response = try walk.take(Result { try hop.run() }, of: destination, in: session) {
                return response
            }
        }
    }

    /// The request on the calling thread's event loop, with a session taken from `loop`: the same
    /// walk as `perform`, waiting for sockets with the loop's waiter. Host names not answered from the
    /// resolver cache are looked up on a thread of their own, never on the loop.
    private func performOnLoop(
        _ request: OutboundHTTPRequest, session: CurlSession, waiter: any OutboundSocketWaiter,
        cancellation: CancellationFlag
    ) async throws -> OutboundHTTPResponse {
        var walk = try RedirectWalk(request)
        while true {
            if cancellation.isCancelled { throw OutboundError.cancelled }
            let destination = try await checkedDestination(host: walk.url.host, port: walk.url.port)
            let hop = try walk.hop(
                to: destination, on: try session.handle(for: destination), userAgent: userAgent,
                network: network, cancellation: cancellation)
            let result: Result<CurlHop.Outcome, Error>
            do {
                if walk.url.scheme == "http" {
                    result = .success(try await hop.run(in: try session.multiHandle(), waiter: waiter))
                } else {
                    // A redirect to https: loading the CA store and the handshake are too much work
                    // for the loop, so this hop blocks a thread of its own instead.
                    let handOff = HopHandOff(hop: hop)
                    result = .success(try await BlockingThread.run { _ in try handOff.hop.run() })
                }
            } catch {
                result = .failure(error)
            }
            if let response = try walk.take(result, of: destination, in: session) { return response }
        }
    }

    /// Whether `url` is a plain http one: only those are driven on an event loop. An https request
    /// stays on a transfer thread, whose handle keeps the CA store loaded (tens of milliseconds of
    /// parsing that would stall every request on the loop) and which does the handshakes' work.
    static func isPlainHTTP(_ url: String) -> Bool {
        url.utf8.count > 7 && url.prefix(7).lowercased() == "http://"
    }

    /// A hop handed to another thread, which alone uses it until it returns.
    private struct HopHandOff: @unchecked Sendable {
        let hop: CurlHop
    }

    private func checkedDestination(host: String, port: Int) async throws -> CheckedDestination {
        if let known = try CheckedDestination.resolveWithoutWaiting(
            host: host, port: port, policy: policy, network: network)
        {
            return known
        }
        return try await BlockingThread.run { [policy, network] _ in
            try CheckedDestination.resolve(host: host, port: port, policy: policy, network: network)
        }
    }
}
