#if canImport(Glibc)
    import Glibc
#endif

/// An epoll instance with a reusable event array. Owned by one event loop thread.
final class Epoll {
    let fd: Int32
    private let events: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity: Int = 256) throws(HTTPServerError) {
        guard LinuxAPI.isAvailable, let create = LinuxAPI.epollCreate1 else {
            throw HTTPServerError(.systemCall("dlsym(epoll)"), errno: ENOSYS)
        }
        fd = create(LinuxAPI.closeOnExec)
        guard fd >= 0 else { throw .systemCall("epoll_create1") }
        self.capacity = capacity
        events = UnsafeMutableRawPointer.allocate(
            byteCount: LinuxAPI.epollEventSize * capacity, alignment: 8)
    }

    deinit {
        events.deallocate()
        close(fd)
    }

    func add(_ descriptor: Int32, events mask: UInt32, token: UInt64) throws(HTTPServerError) {
        try control(LinuxAPI.epollCtlAdd, descriptor, mask, token)
    }

    func modify(_ descriptor: Int32, events mask: UInt32, token: UInt64) throws(HTTPServerError) {
        try control(LinuxAPI.epollCtlMod, descriptor, mask, token)
    }

    func remove(_ descriptor: Int32) {
        _ = try? control(LinuxAPI.epollCtlDel, descriptor, 0, 0)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, _ mask: UInt32, _ token: UInt64)
        throws(HTTPServerError)
    {
        var event: (UInt64, UInt64) = (0, 0)
        let result = withUnsafeMutableBytes(of: &event) { raw -> Int32 in
            raw.storeBytes(of: mask, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: token, toByteOffset: LinuxAPI.epollDataOffset, as: UInt64.self)
            return LinuxAPI.epollCtl?(fd, operation, descriptor, raw.baseAddress) ?? -1
        }
        guard result == 0 else { throw .systemCall("epoll_ctl") }
    }

    /// Waits up to `timeout` milliseconds (-1: forever) and returns how many events are ready;
    /// read them with ``event(at:)``. EINTR counts as zero events.
    func wait(timeout: Int32) -> Int {
        let count = LinuxAPI.epollWait?(fd, events, Int32(capacity), timeout) ?? -1
        return count < 0 ? 0 : Int(count)
    }

    func event(at index: Int) -> (mask: UInt32, token: UInt64) {
        let offset = index * LinuxAPI.epollEventSize
        return (
            events.loadUnaligned(fromByteOffset: offset, as: UInt32.self),
            events.loadUnaligned(fromByteOffset: offset + LinuxAPI.epollDataOffset, as: UInt64.self)
        )
    }
}

/// An eventfd used to wake a loop blocked in `epoll_wait` from another thread.
final class EventFD {
    let fd: Int32

    init(semaphore: Bool = false, blocking: Bool = false) throws(HTTPServerError) {
        var flags = LinuxAPI.closeOnExec
        if !blocking { flags |= LinuxAPI.nonBlocking }
        if semaphore { flags |= LinuxAPI.eventFDSemaphore }
        fd = LinuxAPI.eventFD?(0, flags) ?? -1
        guard fd >= 0 else { throw .systemCall("eventfd") }
    }

    deinit { close(fd) }

    func signal() {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// Reads (and so resets) the counter; blocks only when created blocking.
    @discardableResult
    func drain() -> UInt64 {
        var value: UInt64 = 0
        return read(fd, &value, 8) == 8 ? value : 0
    }
}
