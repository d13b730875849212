import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// An epoll instance with a reusable event array. Owned by one event loop thread.
final class Epoll {
    let fd: Int32
    private let events: UnsafeMutablePointer<epoll_event>
    let capacity: Int

    init(capacity: Int = 256) throws(HTTPServerError) {
        fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw .systemCall("epoll_create1") }
        self.capacity = capacity
        events = .allocate(capacity: capacity)
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
        var event = epoll_event()
        event.events = mask
        event.data.u64 = token
        guard epoll_ctl(fd, operation, descriptor, &event) == 0 else { throw .systemCall("epoll_ctl") }
    }

    /// Waits up to `timeout` milliseconds (-1: forever) and returns how many events are ready;
    /// read them with ``event(at:)``. EINTR counts as zero events.
    func wait(timeout: Int32) -> Int {
        let count = epoll_wait(fd, events, Int32(capacity), timeout)
        return count < 0 ? 0 : Int(count)
    }

    func event(at index: Int) -> (mask: UInt32, token: UInt64) {
        let event = events[index]
        return (event.events, event.data.u64)
    }
}

/// An eventfd used to wake a loop blocked in `epoll_wait` from another thread.
final class EventFD {
    let fd: Int32

    init(semaphore: Bool = false, blocking: Bool = false) throws(HTTPServerError) {
        var flags = Int32(EFD_CLOEXEC)
        if !blocking { flags |= Int32(EFD_NONBLOCK) }
        if semaphore { flags |= Int32(EFD_SEMAPHORE) }
        fd = eventfd(0, flags)
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
