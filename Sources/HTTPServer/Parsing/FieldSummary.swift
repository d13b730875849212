/// The framing-relevant facts gathered while reading header fields.
struct FieldSummary {
    var contentLength: Int?
    var isChunked = false
    var transferEncodingCount = 0
    var hostCount = 0
    var connectionClose = false
    var connectionKeepAlive = false
    var expect: String?
    /// Set by any field whose value breaks the framing rules; answered with 400.
    var invalid = false
}

extension RequestHeadParser {
    /// Parses one field line into `headers`; returns a status when the line must be refused.
    func parseField(
        _ line: ArraySlice<UInt8>, into headers: inout HTTPHeaders, summary: inout FieldSummary
    ) -> HTTPStatus? {
        // A leading space or tab is obs-fold (or a smuggling attempt): refuse it.
        guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex else {
            return .badRequest
        }
        let name = line[..<colon]
        // Whitespace before the colon fails the token check, as RFC 9112 5.1 requires.
        guard name.allSatisfy(ASCII.isTokenChar) else { return .badRequest }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, line[valueStart] == ASCII.space || line[valueStart] == ASCII.tab {
            valueStart += 1
        }
        while valueEnd > valueStart, line[valueEnd - 1] == ASCII.space || line[valueEnd - 1] == ASCII.tab {
            valueEnd -= 1
        }
        let value = line[valueStart..<valueEnd]
        guard value.allSatisfy(ASCII.isFieldValueChar) else { return .badRequest }
        note(name: name, value: value, in: &summary)
        headers.add(
            name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        return nil
    }

    private func note(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>, in summary: inout FieldSummary) {
        switch name.count {
        case 4 where ASCII.equalsLowercase(name, "host"):
            summary.hostCount += 1
            if !value.allSatisfy(Self.isHostChar) { summary.invalid = true }
        case 6 where ASCII.equalsLowercase(name, "expect"):
            summary.expect = String(decoding: value, as: UTF8.self)
        case 10 where ASCII.equalsLowercase(name, "connection"):
            for token in value.split(separator: 0x2C) {
                let trimmed = token.drop { $0 == ASCII.space || $0 == ASCII.tab }
                    .reversed().drop { $0 == ASCII.space || $0 == ASCII.tab }.reversed()
                if ASCII.equalsLowercase(trimmed, "close") { summary.connectionClose = true }
                if ASCII.equalsLowercase(trimmed, "keep-alive") { summary.connectionKeepAlive = true }
            }
        case 14 where ASCII.equalsLowercase(name, "content-length"):
            noteContentLength(value, in: &summary)
        case 17 where ASCII.equalsLowercase(name, "transfer-encoding"):
            summary.transferEncodingCount += 1
            // Only a single, plain `chunked` is accepted: lists such as `chunked, identity` or a
            // second TE line are where front ends and back ends disagree.
            if summary.transferEncodingCount > 1 || !ASCII.equalsLowercase(value, "chunked") {
                summary.invalid = true
            }
            summary.isChunked = true
        default:
            break
        }
    }

    private func noteContentLength(_ value: ArraySlice<UInt8>, in summary: inout FieldSummary) {
        guard !value.isEmpty, value.allSatisfy(ASCII.isDigit) else {
            summary.invalid = true
            return
        }
        // Numbers too long for Int are certainly over the body limit; clamp instead of overflowing.
        var length = 0
        for digit in value {
            length = length > Int.max / 20 ? Int.max / 2 : length * 10 + Int(digit - 0x30)
        }
        if let previous = summary.contentLength, previous != length { summary.invalid = true }
        summary.contentLength = length
    }

    /// Host is `uri-host [":" port]`: reg-name, IPv4 or a bracketed IPv6 literal.
    private static func isHostChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x2D, 0x2E, 0x5F, 0x7E, 0x3A, 0x5B, 0x5D: true  // - . _ ~ : [ ]
        case 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D: true  // sub-delims
        default: false
        }
    }
}
