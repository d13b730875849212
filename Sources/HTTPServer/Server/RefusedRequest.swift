/// A request the server answers by itself, before any handler runs: a head it refuses (400, 414,
/// 431, ...), a body over the limit (413), a client too slow to send its request (408), or a
/// connection past the cap (503).
public struct RefusedRequest: Sendable {
    /// The status the server answers with; the response always keeps it.
    public let status: HTTPStatus
    /// The request's path when its request line was read, else nil (a garbled head, the cap).
    public let path: String?
    /// An identifier for logs and error reports, in the same form as handled requests' ids.
    public let requestID: String

    public init(status: HTTPStatus, path: String?, requestID: String) {
        self.status = status
        self.path = path
        self.requestID = requestID
    }
}

/// Builds the response to a refused request, so that an app can answer in its own error format;
/// nil keeps the server's plain-text answer. The connection is closed after it either way.
public typealias RefusalResponder = @Sendable (RefusedRequest) -> HTTPResponse?
