import CLibPQ
import Glibc

extension NotificationListener {
    /// Idle time after which the listener pings the server to notice a silently dead connection.
    private static let keepAliveMilliseconds: Int32 = 30_000

    /// The listener thread's body: keep a connection, keep it LISTENing, deliver what arrives.
    func runLoop() {
        let session = LibPQConnection(configuration: configuration, logger: logger)
        var listening: Set<String> = []
        var retryMilliseconds: Int32 = 100
        while true {
            let (wanted, isStopping) = state.withLock { (Set($0.subscribers.keys), $0.isStopping) }
            if isStopping { break }
            if session.isBroken {
                listening = []
                let hasWork = !wanted.isEmpty || state.withLock { !$0.confirmations.isEmpty }
                guard hasWork else {
                    waitForEvents(socket: nil, timeout: -1)
                    continue
                }
                do {
                    try session.connect()
                    retryMilliseconds = 100
                } catch {
                    logger.warning("notification listener cannot connect", metadata: ["error": "\(error)"])
                    failConfirmations(error)
                    waitForEvents(socket: nil, timeout: retryMilliseconds)
                    retryMilliseconds = min(retryMilliseconds * 2, 2000)
                    continue
                }
            }
            synchronize(session, wanted: wanted, listening: &listening)
            if session.isBroken { continue }
            confirm(listening)
            deliver(session)
            guard let handle = session.handle else { continue }
            let event = waitForEvents(socket: PQsocket(handle), timeout: Self.keepAliveMilliseconds)
            switch event {
            case .socket:
                if PQconsumeInput(handle) == 0 { session.close() }
                deliver(session)
            case .timeout:
                _ = try? session.simpleQuery("SELECT 1")
            case .wake:
                break
            }
        }
        session.close()
        let (subscribers, confirmations) = state.withLock { state in
            defer {
                state.subscribers = [:]
                state.confirmations = []
            }
            return (state.subscribers.values.flatMap(\.values), state.confirmations)
        }
        subscribers.forEach { $0.finish() }
        for pending in confirmations {
            pending.continuation.resume(
                throwing: PostgresError(.closed, "the notification listener was closed"))
        }
        state.withLock { state in
            state.isPipeClosed = true
            close(wakeDescriptors.read)
            close(wakeDescriptors.write)
        }
    }

    /// LISTENs on new channels and UNLISTENs abandoned ones.
    private func synchronize(_ session: LibPQConnection, wanted: Set<String>, listening: inout Set<String>) {
        for channel in wanted.subtracting(listening) {
            do {
                try session.simpleQuery("LISTEN " + quoteIdentifier(channel))
                listening.insert(channel)
            } catch {
                if session.isBroken { return }
                drop(channel, error)
            }
        }
        for channel in listening.subtracting(wanted) {
            _ = try? session.simpleQuery("UNLISTEN " + quoteIdentifier(channel))
            if session.isBroken { return }
            listening.remove(channel)
        }
    }

    private func deliver(_ session: LibPQConnection) {
        guard let handle = session.handle else { return }
        while let raw = PQnotifies(handle) {
            let notification = PostgresNotification(
                channel: String(cString: raw.pointee.relname),
                payload: raw.pointee.extra.map { String(cString: $0) } ?? "",
                processID: raw.pointee.be_pid)
            PQfreemem(raw)
            let targets = state.withLock { Array(($0.subscribers[notification.channel] ?? [:]).values) }
            for target in targets { target.yield(notification) }
        }
    }

    private func confirm(_ listening: Set<String>) {
        let ready = state.withLock { state in
            let ready = state.confirmations.filter { listening.contains($0.channel) }
            state.confirmations.removeAll { listening.contains($0.channel) }
            return ready
        }
        for pending in ready { pending.continuation.resume() }
    }

    private func failConfirmations(_ error: any Error) {
        let failed = state.withLock { state in
            defer { state.confirmations = [] }
            return state.confirmations
        }
        for pending in failed { pending.continuation.resume(throwing: error) }
    }

    /// A channel the server refused to LISTEN on: its subscribers' streams end, their callers fail.
    private func drop(_ channel: String, _ error: any Error) {
        let (subscribers, failed) = state.withLock { state in
            defer {
                state.subscribers[channel] = nil
                state.confirmations.removeAll { $0.channel == channel }
            }
            return (
                Array((state.subscribers[channel] ?? [:]).values),
                state.confirmations.filter { $0.channel == channel }
            )
        }
        subscribers.forEach { $0.finish() }
        for pending in failed { pending.continuation.resume(throwing: error) }
    }

    private enum Event { case socket, wake, timeout }

    @discardableResult
    private func waitForEvents(socket: Int32?, timeout: Int32) -> Event {
        var descriptors = [pollfd(fd: wakeDescriptors.read, events: Int16(POLLIN), revents: 0)]
        if let socket { descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        guard ready > 0 else { return .timeout }
        if descriptors[0].revents != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            while read(wakeDescriptors.read, &drain, drain.count) > 0 {}
        }
        return descriptors.count > 1 && descriptors[1].revents != 0 ? .socket : .wake
    }
}

/// Quotes an identifier for the few statements that cannot take parameters (LISTEN, UNLISTEN).
func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingAll("\"", with: "\"\"") + "\""
}
