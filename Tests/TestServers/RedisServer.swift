import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway `redis-server` on 127.0.0.1 (Debian's package, installed by `make test`), killed by
/// `stop()`. Shared by the probe tests of Outbound and of the connection tester.
public final class RedisServer {
    public let port: Int
    private let process = Process()

    public init(password: String? = nil) throws {
        let path = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let path else { throw XCTSkip("redis-server is not installed (apt-get install redis-server)") }
        port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments =
            [
                "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--logfile", "", "--loglevel", "warning",
            ] + (password.map { ["--requirepass", $0] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    /// SIGKILL: nothing is persisted, and SIGTERM can arrive blocked through the test runner's mask.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func waitUntilListening() throws {
        for _ in 0..<100 {
            if Self.connects(to: port) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw XCTSkip("redis-server did not start on port \(port)")
    }

    private static func connects(to port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// A port nothing listens on right now: bound to 0, read back, closed.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw XCTSkip("no free port for redis-server") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
