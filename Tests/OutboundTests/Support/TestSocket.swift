import Foundation
import Glibc

/// A blocking TCP socket for test servers on 127.0.0.1.
final class TestSocket: @unchecked Sendable {  // wraps a file descriptor used by one thread at a time
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    /// A listener on a loopback address, on `port` or (0) a kernel-chosen one.
    static func listen(host: String = "127.0.0.1", port: Int = 0, backlog: Int32 = 64) throws -> TestSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSocketError.failed("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            Glibc.close(fd)
            throw TestSocketError.failed("bind/listen")
        }
        return TestSocket(fd: fd)
    }

    /// A port on 127.0.0.1 that was just free and has no listener: connecting to it is refused.
    static func refusedPort() throws -> Int {
        let listener = try listen()
        let port = listener.port
        listener.close()
        return port
    }

    var port: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func accept() -> TestSocket? {
        let client = Glibc.accept(fd, nil, nil)
        return client >= 0 ? TestSocket(fd: client) : nil
    }

    /// Reads whatever is available (blocking for at least one byte); empty at end of stream.
    func read(max: Int = 65_536) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let count = Glibc.read(fd, &buffer, max)
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    /// Reads exactly `count` bytes, or fewer if the peer closes.
    func read(exactly count: Int) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            let chunk = read(max: count - result.count)
            if chunk.isEmpty { break }
            result += chunk
        }
        return result
    }

    /// Reads until `marker` has been seen; returns everything read.
    func read(until marker: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        while !result.ends(with: marker) {
            let chunk = read(max: 1)
            if chunk.isEmpty { break }
            result += chunk
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

    @discardableResult
    func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// Wakes a thread blocked in `accept` or `read` on this socket.
    func shutdown() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    func close() { _ = Glibc.close(fd) }
}

enum TestSocketError: Error { case failed(String) }

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

/// Accepts connections on its own thread and hands each to `handle` on a thread of its own.
final class TestServer: @unchecked Sendable {  // state guarded by `lock`
    let listener: TestSocket
    private let lock = NSLock()
    private var accepted = 0
    private var clients: [TestSocket] = []
    private var stopped = false

    var port: Int { listener.port }
    var connectionCount: Int { lock.withLock { accepted } }
    /// Connections whose handler has not finished yet.
    var openConnectionCount: Int { lock.withLock { clients.count } }

    init(host: String = "127.0.0.1", port: Int = 0, handle: @escaping @Sendable (TestSocket) -> Void) throws {
        listener = try TestSocket.listen(host: host, port: port)
        Thread.detachNewThread { [self] in
            while let client = listener.accept() {
                let keep = lock.withLock { () -> Bool in
                    if stopped { return false }
                    accepted += 1
                    clients.append(client)
                    return true
                }
                guard keep else {
                    client.close()
                    break
                }
                Thread.detachNewThread { [self] in
                    handle(client)
                    lock.withLock { clients.removeAll { $0 === client } }
                    client.close()
                }
            }
            // Closed here rather than in `stop()`: this thread may not have reached `accept` yet,
            // and must not find the descriptor reused by the next test's listener.
            listener.close()
        }
    }

    /// Stops accepting and closes every connection.
    func stop() {
        lock.withLock {
            stopped = true
            // Under the lock, so that no handler closes (and the kernel reuses) a descriptor meanwhile.
            clients.forEach { $0.shutdown() }
        }
        listener.shutdown()
    }
}
