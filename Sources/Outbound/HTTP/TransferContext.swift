import CCurl
import Glibc

/// State shared with libcurl's callbacks during one hop; only touched on the transfer's thread.
final class TransferContext {
    let limit: Int
    /// The checked addresses; a socket to anything else is refused.
    let allowed: [IPAddress]
    let port: Int
    let network: OutboundNetwork
    let cancellation: CancellationFlag
    var body: [UInt8] = []
    var headers = OutboundHTTPHeaders()
    var isTooLarge = false
    /// The address a gate refused (a new socket, or a reused connection), as text.
    var refusedAddress: String?
    /// libcurl writes its error text here (`CURLOPT_ERRORBUFFER`).
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    init(
        limit: Int, allowed: [IPAddress], port: Int, network: OutboundNetwork, cancellation: CancellationFlag
    ) {
        self.limit = limit
        self.allowed = allowed
        self.port = port
        self.network = network
        self.cancellation = cancellation
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorBuffer.deallocate() }

    var errorText: String { String(cString: errorBuffer) }

    /// Installs the callbacks on `easy`, each handed this context.
    func install(on easy: CurlEasy) throws {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: Self.onBody)
        try easy.set(CURLOPT_WRITEDATA, pointer: me)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: Self.onHeader)
        try easy.set(CURLOPT_HEADERDATA, pointer: me)
        try easy.setOpenSocket(Self.onOpenSocket)
        try easy.set(CURLOPT_OPENSOCKETDATA, pointer: me)
        try easy.setPrerequest(Self.onPrerequest)
        try easy.set(CURLOPT_PREREQDATA, pointer: me)
        try easy.setProgress(Self.onProgress)
        try easy.set(CURLOPT_XFERINFODATA, pointer: me)
        try easy.set(CURLOPT_NOPROGRESS, 0)
    }

    private static func from(_ pointer: UnsafeMutableRawPointer?) -> TransferContext {
        Unmanaged<TransferContext>.fromOpaque(pointer!).takeUnretainedValue()
    }

    typealias DataCallback =
        @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int

    /// Collects body bytes; returning a short count makes libcurl stop with a write error.
    private static let onBody: DataCallback = { data, size, count, context in
        let context = from(context)
        let length = size * count
        guard context.body.count + length <= context.limit else {
            context.isTooLarge = true
            return 0
        }
        if let data { context.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
        return length
    }

    /// Collects header lines; a status line starts a new response (after `100 Continue`).
    private static let onHeader: DataCallback = { data, size, count, context in
        let context = from(context)
        let length = size * count
        guard let data else { return length }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            context.headers = OutboundHTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingWhitespace()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            if !name.isEmpty { context.headers.add(name, value) }
        }
        return length
    }

    /// The last gate before any connection: the address libcurl is about to connect to must be
    /// one of the checked ones.
    private static let onOpenSocket:
        @convention(c) (UnsafeMutableRawPointer?, curlsocktype, UnsafeMutablePointer<curl_sockaddr>?) ->
            curl_socket_t = { context, _, address in
                let context = from(context)
                guard let address else { return CURL_SOCKET_BAD }
                let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) ?? 16
                let raw = UnsafeRawPointer(address).advanced(by: offset).assumingMemoryBound(
                    to: sockaddr.self)
                guard let target = IPAddress(sockaddr: raw), context.allowed.contains(target) else {
                    context.refusedAddress = IPAddress(sockaddr: raw)?.description ?? "unknown"
                    return CURL_SOCKET_BAD
                }
                context.network.willConnect(target, context.port)
                let family = address.pointee.family
                return socket(
                    family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
            }

    /// The gate before the request goes out on a connection, new or reused: a reused connection
    /// opens no socket, so `onOpenSocket` never sees it, and it may have been opened for an
    /// earlier request whose host resolved elsewhere.
    private static let onPrerequest:
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<CChar>?, Int32, Int32
        ) -> Int32 = { context, primaryIP, _, _, _ in
            let context = from(context)
            let address = primaryIP.map { String(cString: $0) } ?? ""
            guard context.admits(connectionTo: address) else {
                context.refusedAddress = address.isEmpty ? "unknown" : address
                return CURL_PREREQFUNC_ABORT
            }
            return CURL_PREREQFUNC_OK
        }

    /// Whether a connection to `address` (libcurl's text for the peer) may carry this hop's
    /// request: only if it is one of the checked addresses.
    func admits(connectionTo address: String) -> Bool {
        // An IPv6 peer may carry a zone (`fe80::1%eth0`); the socket gate ignores it too.
        let bare = address.split(separator: "%", maxSplits: 1).first ?? ""
        guard let parsed = IPAddress(bare) else { return false }
        return allowed.contains(parsed)
    }

    /// Aborts the transfer when the waiting task is cancelled.
    private static let onProgress:
        @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
            context, _, _, _, _ in
            from(context).cancellation.isCancelled ? 1 : 0
        }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = {
            $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n"
        }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
