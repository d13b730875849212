#if canImport(Glibc)
    import Glibc
#endif

/// The Linux calls Swift's Glibc module does not export (`sys/epoll.h`, `sys/eventfd.h` and
/// `accept4` sit behind `_GNU_SOURCE`). They are looked up once in the already-loaded C library,
/// which avoids a C shim target; every symbol exists in any glibc since 2.9.
enum LinuxAPI {
    typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    typealias EpollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    typealias Accept4 =
        @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) ->
        Int32

    static let epollCreate1 = symbol("epoll_create1", as: EpollCreate1.self)
    static let epollCtl = symbol("epoll_ctl", as: EpollCtl.self)
    static let epollWait = symbol("epoll_wait", as: EpollWait.self)
    static let eventFD = symbol("eventfd", as: EventFD.self)
    static let accept4 = symbol("accept4", as: Accept4.self)

    /// Whether every symbol above resolved; checked once before the first loop starts.
    static var isAvailable: Bool {
        epollCreate1 != nil && epollCtl != nil && epollWait != nil && eventFD != nil && accept4 != nil
    }

    // Flag values from the generic Linux ABI (x86_64, aarch64, riscv64).
    static let epollIn: UInt32 = 0x001
    static let epollOut: UInt32 = 0x004
    static let epollErr: UInt32 = 0x008
    static let epollHup: UInt32 = 0x010
    static let epollCtlAdd: Int32 = 1
    static let epollCtlDel: Int32 = 2
    static let epollCtlMod: Int32 = 3
    static let closeOnExec: Int32 = 0o2_000_000
    static let nonBlocking: Int32 = 0o4_000
    static let eventFDSemaphore: Int32 = 1

    /// `struct epoll_event` is packed on x86_64 (12 bytes) and naturally aligned elsewhere.
    #if arch(x86_64)
        static let epollEventSize = 12
        static let epollDataOffset = 4
    #else
        static let epollEventSize = 16
        static let epollDataOffset = 8
    #endif

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }
}
