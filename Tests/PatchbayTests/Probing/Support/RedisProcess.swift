import Foundation
import Glibc
import XCTest

/// A throwaway `redis-server` on 127.0.0.1 with a password, nothing persisted; killed by `stop()`.
final class RedisProcess {
    let port: Int
    private let process = Process()

    init(password: String) throws {
        let path = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let path else { throw XCTSkip("redis-server is not installed (apt-get install redis-server)") }
        port = try LoopbackListener.refusedPort()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--logfile", "", "--loglevel", "warning", "--requirepass", password,
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    /// SIGKILL: there is nothing to save, and SIGTERM may arrive blocked through the runner's mask.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func waitUntilListening() throws {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if connected == 0 { return }
            usleep(50_000)
        }
        stop()
        throw ListenerError("redis-server did not start on port \(port)")
    }
}
