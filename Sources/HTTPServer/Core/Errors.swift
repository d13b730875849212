#if canImport(Glibc)
    import Glibc
#endif

/// An error that knows its HTTP status and builds its own response. Handlers throw these for
/// user-caused failures; any other error becomes a generic 500.
public protocol HTTPResponseError: Error {
    var status: HTTPStatus { get }
    func response() -> HTTPResponse
}

extension HTTPResponseError {
    /// A plain-text response carrying the status's reason phrase.
    public func response() -> HTTPResponse {
        .text(status.reasonPhrase + "\n", status: status)
    }
}

/// The error this module throws: a failed system call (with its errno) or a misuse of the server.
public struct HTTPServerError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A system call failed; `errno` says why.
        case systemCall(String)
        /// The server was started twice, or used after shutdown.
        case invalidState(String)
        /// The configuration cannot work (bad host address, and so on).
        case invalidConfiguration(String)
    }

    public var kind: Kind
    public var errno: Int32

    init(_ kind: Kind, errno: Int32 = 0) {
        self.kind = kind
        self.errno = errno
    }

    static func systemCall(_ name: String) -> HTTPServerError {
        HTTPServerError(.systemCall(name), errno: Glibc.errno)
    }

    public var description: String {
        switch kind {
        case .systemCall(let call):
            "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case .invalidState(let message): "invalid server state: \(message)"
        case .invalidConfiguration(let message): "invalid configuration: \(message)"
        }
    }
}
