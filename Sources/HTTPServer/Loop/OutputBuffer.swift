/// Response bytes the socket did not take yet, as a queue of chunks (so a large body is never
/// copied just because the first write was partial).
struct OutputBuffer {
    private var chunks: [[UInt8]] = []
    /// Bytes of `chunks[0]` already written.
    private var offset = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ bytes: [UInt8], from start: Int = 0) {
        guard start < bytes.count else { return }
        if chunks.isEmpty { offset = start }
        if chunks.isEmpty || start == 0 {
            chunks.append(bytes)
        } else {
            chunks.append(Array(bytes[start...]))
        }
        count += bytes.count - start
    }

    /// Writes as much as the socket takes. Returns false when the connection is broken.
    mutating func flush(to fd: Int32) -> Bool {
        while !chunks.isEmpty {
            let written = chunks[0].withUnsafeBytes { first in
                let pending = UnsafeRawBufferPointer(rebasing: first[offset...])
                if chunks.count > 1 {
                    return chunks[1].withUnsafeBytes { Socket.send(fd, pending, $0) }
                }
                return Socket.send(fd, pending, UnsafeRawBufferPointer(start: nil, count: 0))
            }
            if written < 0 { return false }
            if written == 0 { return true }
            consume(written)
        }
        return true
    }

    private mutating func consume(_ written: Int) {
        count -= written
        var remaining = written
        while remaining > 0, !chunks.isEmpty {
            let available = chunks[0].count - offset
            if remaining >= available {
                remaining -= available
                chunks.removeFirst()
                offset = 0
            } else {
                offset += remaining
                remaining = 0
            }
        }
    }
}
