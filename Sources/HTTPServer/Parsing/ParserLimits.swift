/// Size limits the request parser enforces, each with its own answer.
struct ParserLimits: Sendable {
    /// Longest request line (method, target, version) without its CRLF → 414 beyond.
    var maxRequestLineSize = 8 * 1024
    /// Largest header section (every field line) → 431 beyond.
    var maxHeaderSize = 16 * 1024
    /// Most header fields in one request → 431 beyond.
    var maxHeaderCount = 100
    /// Largest body, fixed-length or chunked → 413 beyond.
    var maxBodySize = 1024 * 1024
}

/// How the request body is delimited (RFC 9112 section 6.3).
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A parsed request head, before its body is read.
struct RequestHead {
    var method: HTTPMethod
    var target: String
    var requestTarget: RequestTarget
    var version: HTTPVersion
    var headers: HTTPHeaders
    var keepAlive: Bool
    var framing: BodyFraming
    var expectsContinue: Bool
}

/// The outcome of parsing a head: the head, or the status to refuse it with (and the request's
/// path when the request line was read far enough to know it).
enum HeadParseResult {
    case success(RequestHead)
    case failure(HTTPStatus, path: String? = nil)
}
