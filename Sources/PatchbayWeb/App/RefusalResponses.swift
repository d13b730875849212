import HTTPServer

/// Answers for the requests the HTTP server refuses before any route runs (a body over the limit,
/// a malformed head, a client too slow to send its request). API clients get the one JSON error
/// shape they get everywhere else; other paths keep the server's short plain-text answer.
public enum RefusalResponses {
    /// A responder for ``HTTPServerConfiguration/refusalResponder``; `maxBodySize` is the server's
    /// body limit, quoted in the 413 message.
    public static func responder(maxBodySize: Int) -> RefusalResponder {
        { refused in
            guard let path = refused.path, path.hasPrefix("/api/") else { return nil }
            let (code, message) = describe(refused.status, maxBodySize: maxBodySize)
            var response = HTTPResponse.json(
                ErrorMiddleware.jsonBody(code: code, message: message, requestID: refused.requestID),
                status: refused.status)
            response.headers.add(name: "Cache-Control", value: "no-store")
            response.headers.add(name: "X-Content-Type-Options", value: "nosniff")
            return response
        }
    }

    static func describe(_ status: HTTPStatus, maxBodySize: Int) -> (code: String, message: String) {
        switch status.code {
        case 408: ("request_timeout", "The request did not arrive in time; send it again.")
        case 413:
            ("content_too_large", "The request body is larger than the limit of \(maxBodySize) bytes.")
        case 414: ("uri_too_long", "The request's URL is too long.")
        case 417: ("expectation_failed", "Only `Expect: 100-continue` is supported.")
        case 431: ("header_fields_too_large", "The request's header fields are too large or too many.")
        case 503: ("unavailable", "The server is too busy right now. Try again shortly.")
        case 505: ("http_version_not_supported", "Send the request over HTTP/1.1.")
        default: ("bad_request", "The request is not well-formed HTTP/1.1 and was refused.")
        }
    }
}
