/// Finds where a request head ends, resuming where the previous call stopped so that a head
/// arriving one byte at a time costs linear work. Offsets are relative to the parser's read
/// index, which moves only when a head is consumed.
struct HeadScan {
    enum Outcome {
        case incomplete
        /// `headEnd` is the absolute index just past the final CRLF; `requestLineEnd` is the
        /// absolute index of the request line's CR.
        case complete(headEnd: Int, requestLineEnd: Int)
        case failed(HTTPStatus)
    }

    private var scanned = 0
    private var requestLineEnd: Int?
    private var lastLineFeed = -1

    /// Scans `buffer` from `readIndex`. Empty lines before the request line are skipped (RFC
    /// 9112 2.2) by moving `readIndex`. Bare LF is refused: a lenient reader here is how two
    /// parsers come to disagree.
    mutating func advance(_ buffer: [UInt8], from readIndex: inout Int, limits: ParserLimits) -> Outcome {
        var index = readIndex + scanned
        while index < buffer.count {
            if buffer[index] == ASCII.lf {
                let offset = index - readIndex
                guard offset > 0, buffer[index - 1] == ASCII.cr else { return .failed(.badRequest) }
                if let lineEnd = requestLineEnd {
                    if offset - 1 == lastLineFeed + 1 {
                        if offset - lineEnd > limits.maxHeaderSize + 2 {
                            return .failed(.requestHeaderFieldsTooLarge)
                        }
                        return .complete(headEnd: index + 1, requestLineEnd: readIndex + lineEnd)
                    }
                } else if offset == 1 {
                    // A stray CRLF before the request line.
                    readIndex = index + 1
                    self = HeadScan()
                    index = readIndex
                    continue
                } else {
                    if offset - 1 > limits.maxRequestLineSize { return .failed(.uriTooLong) }
                    requestLineEnd = offset - 1
                }
                lastLineFeed = offset
            }
            index += 1
        }
        scanned = buffer.count - readIndex
        if let lineEnd = requestLineEnd {
            if scanned - lineEnd > limits.maxHeaderSize + 2 { return .failed(.requestHeaderFieldsTooLarge) }
        } else if scanned > limits.maxRequestLineSize + 1 {
            return .failed(.uriTooLong)
        }
        return .incomplete
    }
}
