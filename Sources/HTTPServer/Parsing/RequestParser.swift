/// What the parser found in the bytes it has been given.
enum ParserEvent {
    /// Nothing complete yet: read more.
    case needMoreData
    /// The head asked for `Expect: 100-continue` and the body has not started: send
    /// `100 Continue`, then keep parsing.
    case sendContinue
    /// A complete request; `keepAlive` says whether the connection may carry another.
    case request(HTTPRequest, keepAlive: Bool)
    /// The bytes are not an acceptable request; answer with this status and close.
    case failure(HTTPStatus)
}

/// An incremental HTTP/1.x request parser: a plain state machine over bytes that knows nothing
/// of sockets. Append bytes as they arrive and call ``next()`` until it returns `.needMoreData`.
struct RequestParser {
    enum State {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(size: Int)
        case failed
    }

    let limits: ParserLimits
    var state = State.head
    /// Received bytes; everything before `readIndex` is consumed.
    private(set) var buffer: [UInt8] = []
    var readIndex = 0
    private var scan = HeadScan()
    private var head: RequestHead?
    var body: [UInt8] = []
    private var continueHandled = false
    /// The path of the request being refused, when its request line was read; lets the server
    /// answer an API client's refused request in the API's own error format.
    private(set) var refusedPath: String?

    init(limits: ParserLimits) {
        self.limits = limits
        buffer.reserveCapacity(1024)
    }

    /// Bytes received and not yet consumed by a complete request.
    var bufferedCount: Int { buffer.count - readIndex }

    /// Whether a request has started (bytes buffered or a body in progress).
    var isMidRequest: Bool {
        if case .head = state { return bufferedCount > 0 }
        return true
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    mutating func next() -> ParserEvent {
        switch state {
        case .failed: return .failure(.badRequest)
        case .head: return parseHead()
        default: return parseBody()
        }
    }

    private mutating func compact() {
        if readIndex == buffer.count {
            // Keep a small buffer for the next request, but give back the room a large body took.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            readIndex = 0
        } else if readIndex > 4096 && readIndex > buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    mutating func fail(_ status: HTTPStatus, path: String? = nil) -> ParserEvent {
        refusedPath = path ?? head?.requestTarget.path
        state = .failed
        return .failure(status)
    }

    private mutating func parseHead() -> ParserEvent {
        switch scan.advance(buffer, from: &readIndex, limits: limits) {
        case .incomplete: return .needMoreData
        case .failed(let status): return fail(status)
        case .complete(let headEnd, let requestLineEnd):
            let parser = RequestHeadParser(limits: limits)
            let bytes = buffer[readIndex..<headEnd]
            scan = HeadScan()
            switch parser.parse(bytes, requestLineEnd: requestLineEnd) {
            case .failure(let status, let path): return fail(status, path: path)
            case .success(let parsed):
                readIndex = headEnd
                head = parsed
                continueHandled = !parsed.expectsContinue
                switch parsed.framing {
                case .none: return complete()
                case .length(let length): state = .fixedBody(remaining: length)
                case .chunked: state = .chunkSize
                }
                return parseBody()
            }
        }
    }

    private mutating func parseBody() -> ParserEvent {
        if !continueHandled {
            continueHandled = true
            if bufferedCount == 0 { return .sendContinue }
        }
        while true {
            switch state {
            case .fixedBody(let remaining):
                guard bufferedCount >= remaining else { return .needMoreData }
                body = Array(buffer[readIndex..<(readIndex + remaining)])
                readIndex += remaining
                return complete()
            case .chunkSize:
                switch parseChunkSize() {
                case .some(let event): return event
                case .none: continue
                }
            case .chunkData(let remaining):
                guard bufferedCount > 0 else { return .needMoreData }
                let take = min(remaining, bufferedCount)
                body.append(contentsOf: buffer[readIndex..<(readIndex + take)])
                readIndex += take
                state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .chunkDataEnd:
                guard bufferedCount >= 2 else { return .needMoreData }
                guard buffer[readIndex] == ASCII.cr, buffer[readIndex + 1] == ASCII.lf else {
                    return fail(.badRequest)
                }
                readIndex += 2
                state = .chunkSize
            case .trailers(let size):
                if let event = parseTrailerLine(sizeSoFar: size) { return event }
            case .head, .failed:
                return fail(.badRequest)
            }
        }
    }

    /// Finishes the current request and resets for the next one on the connection.
    mutating func complete() -> ParserEvent {
        guard let head else { return fail(.badRequest) }
        self.head = nil
        state = .head
        let requestBody = body
        body = []
        let target = head.requestTarget
        let request = HTTPRequest(
            method: head.method, target: head.target, rawPath: target.rawPath, path: target.path,
            query: target.rawQuery.map { HTTPQuery(encoded: $0) } ?? HTTPQuery(), headers: head.headers,
            body: requestBody, version: head.version)
        return .request(request, keepAlive: head.keepAlive)
    }
}

extension RequestParser {
    /// Whether the parser is still waiting for a complete head.
    var isReadingHead: Bool {
        if case .head = state { return true }
        return false
    }

    /// The path of the request the connection is about to refuse: the refused head's, or the
    /// one whose body is being read (a body that times out).
    var pathInProgress: String? {
        if case .failed = state { return refusedPath }
        return head?.requestTarget.path
    }
}
