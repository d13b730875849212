/// Chunked transfer coding (RFC 9112 section 7.1): `size[;ext] CRLF data CRLF ... 0 CRLF
/// trailers CRLF`. Sizes are strict hex with no whitespace; trailers are read and dropped.
extension RequestParser {
    /// Longest chunk-size line we accept, extensions included.
    private static let maxChunkLine = 4096

    /// Returns an event to hand back, or nil when the state advanced and parsing can go on.
    mutating func parseChunkSize() -> ParserEvent? {
        guard let lineFeed = findLineEnd(limit: Self.maxChunkLine) else {
            return bufferedCount > Self.maxChunkLine ? fail(.badRequest) : .needMoreData
        }
        guard lineFeed > readIndex, buffer[lineFeed - 1] == ASCII.cr else { return fail(.badRequest) }
        let line = buffer[readIndex..<(lineFeed - 1)]
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = ASCII.hexValue(line[index]) {
            digits += 1
            // More than 15 hex digits cannot be a real size and would overflow Int.
            guard digits <= 15 else { return fail(.badRequest) }
            size = size << 4 | Int(value)
            index += 1
        }
        guard digits > 0 else { return fail(.badRequest) }
        if index < line.endIndex {
            // Only an extension may follow the size; no whitespace, no controls.
            guard line[index] == ASCII.semicolon,
                line[index...].allSatisfy({ $0 == ASCII.tab || ($0 >= 0x20 && $0 != 0x7F) })
            else { return fail(.badRequest) }
        }
        readIndex = lineFeed + 1
        if size == 0 {
            state = .trailers(size: 0)
            return nil
        }
        guard body.count + size <= limits.maxBodySize else { return fail(.contentTooLarge) }
        state = .chunkData(remaining: size)
        return nil
    }

    /// Reads one trailer line; the empty line ends the request.
    mutating func parseTrailerLine(sizeSoFar: Int) -> ParserEvent? {
        guard let lineFeed = findLineEnd(limit: limits.maxHeaderSize - sizeSoFar) else {
            return sizeSoFar + bufferedCount > limits.maxHeaderSize
                ? fail(.requestHeaderFieldsTooLarge) : .needMoreData
        }
        guard lineFeed > readIndex, buffer[lineFeed - 1] == ASCII.cr else { return fail(.badRequest) }
        let line = buffer[readIndex..<(lineFeed - 1)]
        readIndex = lineFeed + 1
        if line.isEmpty { return complete() }
        guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex,
            line[..<colon].allSatisfy(ASCII.isTokenChar),
            line[(colon + 1)...].allSatisfy(ASCII.isFieldValueChar)
        else { return fail(.badRequest) }
        state = .trailers(size: sizeSoFar + line.count + 2)
        return nil
    }

    /// Index of the next LF within `limit` bytes of `readIndex`, or nil.
    func findLineEnd(limit: Int) -> Int? {
        let end = min(buffer.count, readIndex + max(limit, 0) + 1)
        var index = readIndex
        while index < end {
            if buffer[index] == ASCII.lf { return index }
            index += 1
        }
        return nil
    }
}
