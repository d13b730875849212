import Synchronization

/// Counts down to zero once; `wait()` returns when it gets there.
final class Latch: Sendable {
    private struct State {
        var remaining = 0
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func reset(count: Int) {
        state.withLock { $0.remaining = count }
        if count == 0 {
            state.withLock { $0.remaining = 1 }
            countDown()
        }
    }

    func countDown() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.remaining -= 1
            guard state.remaining <= 0, !state.isOpen else { return [] }
            state.isOpen = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
