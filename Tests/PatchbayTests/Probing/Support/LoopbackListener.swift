import Foundation
import Glibc
import Synchronization

/// A TCP listener on 127.0.0.1 with a kernel-chosen port; each accepted connection is handed to
/// `handle` on a thread of its own with a blocking descriptor, closed when `handle` returns.
final class LoopbackListener: Sendable {
    let port: Int
    private let fd: Int32
    private let accepted = Atomic<Int>(0)

    /// How many connections were accepted so far.
    var connectionCount: Int { accepted.load(ordering: .relaxed) }

    init(handle: @escaping @Sendable (Int32) -> Void) throws {
        fd = try Self.bindLoopback()
        port = Self.localPort(of: fd)
        let fd = self.fd
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return
                }
                self.accepted.add(1, ordering: .relaxed)
                Thread.detachNewThread {
                    handle(client)
                    close(client)
                }
            }
        }
    }

    /// Stops accepting; connections in progress finish on their own.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// A port on 127.0.0.1 that was free a moment ago and has no listener: connecting is refused.
    static func refusedPort() throws -> Int {
        let fd = try bindLoopback()
        defer { close(fd) }
        return localPort(of: fd)
    }

    private static func bindLoopback() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ListenerError("socket failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ListenerError("bind/listen failed: errno \(errno)")
        }
        return fd
    }

    private static func localPort(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ListenerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Blocking reads and writes on an accepted descriptor.
enum SocketIO {
    /// Bytes up to and including `terminator`, or whatever came before the peer closed.
    static func read(_ fd: Int32, until terminator: [UInt8], limit: Int = 65_536) -> [UInt8] {
        var data: [UInt8] = []
        var byte: UInt8 = 0
        while data.count < limit, Glibc.read(fd, &byte, 1) == 1 {
            data.append(byte)
            if data.count >= terminator.count, Array(data.suffix(terminator.count)) == terminator { break }
        }
        return data
    }

    static func read(_ fd: Int32, exactly count: Int) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < count {
            let got = Glibc.read(fd, &buffer, min(buffer.count, count - data.count))
            guard got > 0 else { break }
            data += buffer[0..<got]
        }
        return data
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return }
            offset += sent
        }
    }
}
