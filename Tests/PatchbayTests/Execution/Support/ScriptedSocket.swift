import Glibc

/// A blocking TCP socket on 127.0.0.1 for the scripted test server.
final class ScriptedSocket: @unchecked Sendable {  // wraps a file descriptor used by one thread at a time
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    /// A listener on 127.0.0.1 with a port the kernel picks.
    static func listen() throws -> ScriptedSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ScriptedSocketError.failed("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ScriptedSocketError.failed("bind/listen", code)
        }
        return ScriptedSocket(fd: fd)
    }

    var port: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func accept() -> ScriptedSocket? {
        let client = Glibc.accept(fd, nil, nil)
        return client >= 0 ? ScriptedSocket(fd: client) : nil
    }

    /// Up to `max` bytes, blocking for at least one; empty at end of stream or on error.
    func read(max: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let count = Glibc.read(fd, &buffer, max)
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    func read(exactly count: Int) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            let chunk = read(max: count - result.count)
            if chunk.isEmpty { break }
            result += chunk
        }
        return result
    }

    /// Byte by byte until `marker`, so nothing past the head is consumed.
    func read(until marker: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < marker.count || Array(result.suffix(marker.count)) != marker {
            let byte = read(max: 1)
            if byte.isEmpty { break }
            result += byte
        }
        return result
    }

    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Wakes a thread blocked in `accept` or `read`.
    func shutdown() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    func close() { _ = Glibc.close(fd) }
}

enum ScriptedSocketError: Error { case failed(String, Int32) }
