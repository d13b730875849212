/// Parses a complete request head (request line and field lines, each already known to end in
/// CRLF) and decides the body framing. Every ambiguity that could let two parsers disagree on
/// where a request ends is rejected rather than guessed.
struct RequestHeadParser {
    let limits: ParserLimits

    /// `bytes` runs from the request line's first byte to the CRLF that ends the head.
    /// `requestLineEnd` is the index of the request line's CR.
    func parse(_ bytes: ArraySlice<UInt8>, requestLineEnd: Int) -> HeadParseResult {
        guard let (method, targetBytes, version) = parseRequestLine(bytes[..<requestLineEnd]) else {
            return .failure(.badRequest)
        }
        if version.major != 1 { return .failure(.httpVersionNotSupported) }
        guard let requestTarget = RequestTarget.parse(targetBytes, method: method) else {
            return .failure(.badRequest)
        }
        var fields = FieldSummary()
        var headers = HTTPHeaders(reservingCapacity: 8)
        var lineStart = requestLineEnd + 2
        while lineStart < bytes.endIndex - 2 {
            var lineEnd = lineStart
            while bytes[lineEnd] != ASCII.cr { lineEnd += 1 }
            guard headers.count < limits.maxHeaderCount else {
                return .failure(.requestHeaderFieldsTooLarge, path: requestTarget.path)
            }
            if let failure = parseField(bytes[lineStart..<lineEnd], into: &headers, summary: &fields) {
                return .failure(failure, path: requestTarget.path)
            }
            lineStart = lineEnd + 2
        }
        return finish(
            method: method, target: targetBytes, requestTarget: requestTarget, version: version,
            headers: headers, fields: fields)
    }

    private func finish(
        method: HTTPMethod, target: ArraySlice<UInt8>, requestTarget: RequestTarget, version: HTTPVersion,
        headers: HTTPHeaders, fields: FieldSummary
    ) -> HeadParseResult {
        let path = requestTarget.path
        if fields.invalid || fields.hostCount > 1 { return .failure(.badRequest, path: path) }
        if version == .http1_1 && fields.hostCount == 0 { return .failure(.badRequest, path: path) }
        let framing: BodyFraming
        if fields.isChunked {
            // TE with CL, or TE in HTTP/1.0, are the classic smuggling shapes: refuse both.
            if version == .http1_0 || fields.contentLength != nil { return .failure(.badRequest, path: path) }
            framing = .chunked
        } else if let length = fields.contentLength {
            if length > limits.maxBodySize { return .failure(.contentTooLarge, path: path) }
            framing = length == 0 ? .none : .length(length)
        } else {
            framing = .none
        }
        let keepAlive =
            version == .http1_1
            ? !fields.connectionClose : fields.connectionKeepAlive && !fields.connectionClose
        var expectsContinue = false
        if let expectation = fields.expect {
            guard ASCII.equalsLowercase(expectation.utf8, "100-continue") else {
                return .failure(.expectationFailed, path: path)
            }
            // RFC 9110 10.1.1: an HTTP/1.0 client never waits for 100 Continue.
            expectsContinue = version == .http1_1
        }
        return .success(
            RequestHead(
                method: method, target: String(decoding: target, as: UTF8.self),
                requestTarget: requestTarget, version: version, headers: headers, keepAlive: keepAlive,
                framing: framing, expectsContinue: expectsContinue))
    }

    private func parseRequestLine(
        _ line: ArraySlice<UInt8>
    ) -> (HTTPMethod, ArraySlice<UInt8>, HTTPVersion)? {
        guard let firstSpace = line.firstIndex(of: ASCII.space) else { return nil }
        let methodBytes = line[..<firstSpace]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ASCII.isTokenChar) else { return nil }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: ASCII.space) else { return nil }
        let target = rest[..<secondSpace]
        guard !target.isEmpty, let version = parseVersion(rest[(secondSpace + 1)...]) else { return nil }
        return (Self.method(methodBytes), target, version)
    }

    private func parseVersion(_ bytes: ArraySlice<UInt8>) -> HTTPVersion? {
        guard bytes.count == 8, bytes.starts(with: Self.httpSlash) else { return nil }
        let major = bytes[bytes.startIndex + 5]
        let dot = bytes[bytes.startIndex + 6]
        let minor = bytes[bytes.startIndex + 7]
        guard ASCII.isDigit(major), dot == 0x2E, ASCII.isDigit(minor) else { return nil }
        let majorValue = Int(major - 0x30)
        // RFC 9110 2.5: a higher minor version is answered as the highest we speak.
        if majorValue == 1 { return minor == 0x30 ? .http1_0 : .http1_1 }
        return HTTPVersion(major: majorValue, minor: Int(minor - 0x30))
    }

    private static let httpSlash = Array("HTTP/".utf8)

    private static func method(_ bytes: ArraySlice<UInt8>) -> HTTPMethod {
        if bytes.elementsEqual("GET".utf8) { return .get }
        if bytes.elementsEqual("POST".utf8) { return .post }
        if bytes.elementsEqual("HEAD".utf8) { return .head }
        return HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
    }
}
