/// What to send, and how patiently.
public struct OutboundHTTPRequest: Sendable {
    /// Whether and how far redirects are followed.
    public enum Redirects: Sendable, Equatable {
        /// Return 3xx responses as they are.
        case none
        /// Follow up to `max` redirects, checking every new destination against the policy.
        case follow(max: Int)
    }

    public var method: String
    /// An absolute http or https URL.
    public var url: String
    public var headers: OutboundHTTPHeaders
    public var body: [UInt8]
    /// The whole exchange, redirects included, must finish within this.
    public var timeout: Duration
    public var redirects: Redirects
    /// A longer body fails the request with `responseTooLarge`.
    public var maxResponseBytes: Int

    public init(
        method: String = "GET", url: String, headers: OutboundHTTPHeaders = [:], body: [UInt8] = [],
        timeout: Duration = .seconds(30), redirects: Redirects = .follow(max: 5),
        maxResponseBytes: Int = 5 * 1024 * 1024
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.redirects = redirects
        self.maxResponseBytes = maxResponseBytes
    }
}

/// Where the time went, summed over every hop of a redirected request.
public struct OutboundTiming: Sendable, Equatable {
    /// Resolving host names.
    public var dns: Duration = .zero
    /// TCP connection set-up (zero when a connection was reused).
    public var connect: Duration = .zero
    /// TLS handshakes.
    public var tls: Duration = .zero
    /// From the call to the last byte, as the caller waited.
    public var total: Duration = .zero

    public init() {}
}

/// What came back.
public struct OutboundHTTPResponse: Sendable {
    public var status: Int
    public var headers: OutboundHTTPHeaders
    public var body: [UInt8]
    public var timing: OutboundTiming
    /// The URL that produced this response, after any redirects.
    public var finalURL: String
    /// The address the final response came from.
    public var remoteIP: String
    /// How many redirects were followed.
    public var redirectCount: Int

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
