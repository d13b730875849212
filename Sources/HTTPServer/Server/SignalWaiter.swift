import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The write end of the pipe the signal handler reports to; a handler can reach only globals.
private let signalPipe = Atomic<Int32>(-1)

/// Waits for SIGTERM or SIGINT without blocking Swift's cooperative pool: a handler writes the
/// signal number into a pipe and a dedicated thread blocks reading it. After the first signal
/// the default action comes back, so a second Ctrl-C still kills a stuck process.
///
/// Also for processes without a server (`patchbay worker`).
///
/// `@unchecked Sendable`: it wraps the pipe's two descriptors, written once at init.
public final class SignalWaiter: @unchecked Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    private let signals: [Int32]

    public init(signals: [Int32] = [SIGTERM, SIGINT]) throws(HTTPServerError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .systemCall("pipe") }
        readFD = fds[0]
        writeFD = fds[1]
        self.signals = signals
        _ = fcntl(writeFD, F_SETFL, O_NONBLOCK)
        _ = fcntl(readFD, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeFD, F_SETFD, FD_CLOEXEC)
        signalPipe.store(writeFD, ordering: .releasing)
        for number in signals {
            signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                let fd = signalPipe.load(ordering: .relaxed)
                if fd >= 0 { _ = write(fd, &byte, 1) }
            }
        }
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// The signal received, or nil after ``cancel()``.
    public func wait() async -> Int32? {
        await withCheckedContinuation { continuation in
            do {
                try OSThread.spawn { [self] in
                    var byte: UInt8 = 0
                    var count = 0
                    repeat { count = read(readFD, &byte, 1) } while count < 0 && errno == EINTR
                    restoreDefaults()
                    continuation.resume(returning: count == 1 && byte != 0 ? Int32(byte) : nil)
                }
            } catch {
                continuation.resume(returning: nil)
            }
        }
    }

    /// Wakes ``wait()`` with nil.
    public func cancel() {
        var zero: UInt8 = 0
        _ = write(writeFD, &zero, 1)
    }

    private func restoreDefaults() {
        _ = signalPipe.compareExchange(expected: writeFD, desired: -1, ordering: .acquiringAndReleasing)
        for number in signals { signal(number, SIG_DFL) }
    }
}
