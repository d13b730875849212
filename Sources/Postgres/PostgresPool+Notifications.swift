extension PostgresPool {
    /// Subscribes to `channel` and returns once the server is listening, so a notification sent
    /// after this returns is delivered. All subscriptions share one dedicated connection, outside
    /// the pool's size, which re-LISTENs after a reconnect; end the subscription by dropping or
    /// cancelling the iteration of the stream.
    public func listen(_ channel: String) async throws -> AsyncStream<PostgresNotification> {
        guard !isClosedForListening else { throw PostgresError(.closed, "the connection pool was closed") }
        let listener = try self.listener ?? NotificationListener(configuration: configuration, logger: logger)
        self.listener = listener
        return try await listener.subscribe(channel)
    }

    /// Sends a notification through a pooled connection (`SELECT pg_notify($1, $2)`).
    public nonisolated func notify(_ channel: String, payload: String = "") async throws {
        try await execute("SELECT pg_notify($1, $2)", [channel, payload])
    }
}
