/// Writes a response head into a byte buffer. The server owns framing: any `Content-Length`,
/// `Transfer-Encoding`, `Date` or `Connection` the handler set is replaced by its own.
enum ResponseEncoder {
    struct Options {
        var isHeadRequest: Bool
        var close: Bool
        /// HTTP/1.0 keep-alive must be confirmed with `Connection: keep-alive`.
        var confirmKeepAlive: Bool
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends the head to `out`; returns whether the body bytes must follow.
    static func encodeHead(
        _ response: HTTPResponse, into out: inout [UInt8], dateLine: [UInt8], options: Options
    ) -> Bool {
        appendStatusLine(response.status, to: &out)
        for field in response.headers where !isFramingField(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: colonSpace)
            // A CR or LF in a value would let a handler split the response; drop those bytes.
            for byte in field.value.utf8 where byte != ASCII.cr && byte != ASCII.lf { out.append(byte) }
            out.append(contentsOf: crlf)
        }
        let hasBody = !response.status.forbidsBody
        if hasBody {
            out.append(contentsOf: contentLengthPrefix)
            appendDecimal(response.body.count, to: &out)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: dateLine)
        if options.close {
            out.append(contentsOf: connectionClose)
        } else if options.confirmKeepAlive {
            out.append(contentsOf: connectionKeepAlive)
        }
        out.append(contentsOf: crlf)
        return hasBody && !options.isHeadRequest && !response.body.isEmpty
    }

    /// A complete response for errors the server answers by itself (400, 408, 413, 503...):
    /// `custom` when given (with its status forced to `status`), else the reason phrase as text.
    static func encodeError(_ status: HTTPStatus, dateLine: [UInt8], custom: HTTPResponse? = nil) -> [UInt8] {
        var out: [UInt8] = []
        var response = custom ?? HTTPResponse.text(status.reasonPhrase + "\n", status: status)
        response.status = status
        _ = encodeHead(
            response, into: &out, dateLine: dateLine,
            options: Options(isHeadRequest: false, close: true, confirmKeepAlive: false))
        out.append(contentsOf: response.body)
        return out
    }

    /// Whether the response asks for the connection to close.
    static func requestsClose(_ response: HTTPResponse) -> Bool {
        guard let value = response.headers["Connection"] else { return false }
        return value.lowercased().contains("close")
    }

    private static func appendStatusLine(_ status: HTTPStatus, to out: inout [UInt8]) {
        if status.code >= 100, status.code < 600, let cached = statusLines[status.code],
            cached.reason == status.reasonPhrase
        {
            out.append(contentsOf: cached.line)
            return
        }
        out.append(contentsOf: Array("HTTP/1.1 ".utf8))
        appendDecimal(status.code, to: &out)
        out.append(ASCII.space)
        for byte in status.reasonPhrase.utf8 where byte != ASCII.cr && byte != ASCII.lf { out.append(byte) }
        out.append(contentsOf: crlf)
    }

    private static func isFramingField(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: HTTPHeaders.namesEqual(name, "Date")
        case 10: HTTPHeaders.namesEqual(name, "Connection")
        case 14: HTTPHeaders.namesEqual(name, "Content-Length")
        case 17: HTTPHeaders.namesEqual(name, "Transfer-Encoding")
        default: false
        }
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(0x30 + max(value, 0)))
            return
        }
        var digits: [UInt8] = []
        var remaining = value
        while remaining > 0 {
            digits.append(UInt8(0x30 + remaining % 10))
            remaining /= 10
        }
        out.append(contentsOf: digits.reversed())
    }

    private static let crlf: [UInt8] = [ASCII.cr, ASCII.lf]
    private static let colonSpace: [UInt8] = [ASCII.colon, ASCII.space]
    private static let contentLengthPrefix = Array("Content-Length: ".utf8)
    private static let connectionClose = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive = Array("Connection: keep-alive\r\n".utf8)

    /// Status lines for every standard code, built once.
    private static let statusLines: [Int: (reason: String, line: [UInt8])] = {
        var lines: [Int: (reason: String, line: [UInt8])] = [:]
        for code in 100..<600 {
            let reason = HTTPStatus.standardReason(for: code)
            guard !reason.hasPrefix("Status ") else { continue }
            lines[code] = (reason, Array("HTTP/1.1 \(code) \(reason)\r\n".utf8))
        }
        return lines
    }()
}
