import Synchronization

/// Something tasks wait for with a time limit: a worker's "there may be work" (auto-reset, so one
/// signal wakes one wait) or "the loop has ended" (sticky, every wait after it returns at once).
final class WakeEvent: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Bool, Never>
        var timer: Task<Void, Never>?
    }

    private struct State {
        var isSet = false
        var waiters: [Int: Waiter] = [:]
        var nextID = 0
    }

    private let isSticky: Bool
    private let state = Mutex(State())

    init(sticky: Bool = false) { isSticky = sticky }

    /// Wakes a waiting task (every one when sticky), or the next wait when none is waiting.
    func signal() {
        let woken = state.withLock { state -> [Waiter] in
            if isSticky {
                state.isSet = true
                defer { state.waiters.removeAll() }
                return Array(state.waiters.values)
            }
            guard let id = state.waiters.keys.min() else {
                state.isSet = true
                return []
            }
            return state.waiters.removeValue(forKey: id).map { [$0] } ?? []
        }
        for waiter in woken {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: true)
        }
    }

    /// Returns true once signalled, false after `timeout` without a signal.
    func wait(upTo timeout: Duration) async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withCheckedContinuation { continuation in
            let isSet = state.withLock { state in
                if state.isSet {
                    if !isSticky { state.isSet = false }
                    return true
                }
                state.waiters[id] = Waiter(continuation: continuation)
                return false
            }
            if isSet { return continuation.resume(returning: true) }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self.expire(id)
            }
            state.withLock { state in
                if state.waiters[id] != nil { state.waiters[id]?.timer = timer } else { timer.cancel() }
            }
        }
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(returning: false)
    }
}
