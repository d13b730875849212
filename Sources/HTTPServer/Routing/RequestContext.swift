import Logging

/// What the server knows about a request besides the request itself; an app's
/// ``RequestContext`` is built from it.
public struct RequestContextSource: Sendable {
    /// The peer's IP address (`127.0.0.1`, `::1`).
    public let remoteAddress: String
    /// The server's logger.
    public let logger: Logger
    let serverTag: UInt32
    let loopIndex: Int
    let requestNumber: UInt64

    /// An identifier unique within this server's lifetime, for logs and error reports.
    /// Built on demand so requests that never read it pay nothing.
    public var requestID: String {
        let tag = String(serverTag, radix: 16)
        let padding = String(repeating: "0", count: max(0, 8 - tag.utf8.count))
        return "\(padding)\(tag)-\(loopIndex)-\(String(requestNumber, radix: 16))"
    }

    public init(remoteAddress: String, logger: Logger) {
        self.init(remoteAddress: remoteAddress, logger: logger, serverTag: 0, loopIndex: 0, requestNumber: 0)
    }

    init(remoteAddress: String, logger: Logger, serverTag: UInt32, loopIndex: Int, requestNumber: UInt64) {
        self.remoteAddress = remoteAddress
        self.logger = logger
        self.serverTag = serverTag
        self.loopIndex = loopIndex
        self.requestNumber = requestNumber
    }
}

/// Per-request state handed to handlers and middleware. Apps define their own struct with extra
/// `var`s (authenticated user, tenant) that middleware fills in.
public protocol RequestContext: Sendable {
    init(source: RequestContextSource)
}

/// A context with nothing but the source, for apps that need no more.
public struct BasicRequestContext: RequestContext {
    public var source: RequestContextSource
    public init(source: RequestContextSource) { self.source = source }
}

/// A request handler: an async function from request and context to response.
public typealias Responder<Context> = @Sendable (HTTPRequest, Context) async throws -> HTTPResponse

/// The server-side form every responder is reduced to: errors already turned into responses.
typealias ServerResponder = @Sendable (HTTPRequest, RequestContextSource) async -> HTTPResponse

/// Wraps a typed responder: builds the app's context and turns thrown errors into responses
/// (an ``HTTPResponseError`` builds its own, anything else is a generic 500).
func makeServerResponder<Context: RequestContext>(_ responder: @escaping Responder<Context>)
    -> ServerResponder
{
    { request, source in
        do {
            return try await responder(request, Context(source: source))
        } catch let error as any HTTPResponseError {
            return error.response()
        } catch {
            source.logger.error(
                "handler failed",
                metadata: [
                    "request-id": "\(source.requestID)", "path": "\(request.path)", "error": "\(error)",
                ])
            return .text("Internal Server Error\n", status: .internalServerError)
        }
    }
}
