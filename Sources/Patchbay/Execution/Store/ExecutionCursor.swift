import Foundation

/// A position in a connector's History: the execution a page ended with. Its text form
/// (`<microseconds since 1970>.<id>`) is opaque to clients; parse it back with `init?(_:)`.
///
/// Creation times are kept as whole microseconds, PostgreSQL's own precision, so a cursor matches
/// its row exactly (a `Date` would round), and the id breaks ties between runs created at the same
/// instant.
public struct ExecutionCursor: Sendable, Hashable, LosslessStringConvertible {
    /// The execution's `created_at` in microseconds since 1970-01-01 UTC.
    public var createdAtMicroseconds: Int64
    public var id: UUID

    public init(createdAtMicroseconds: Int64, id: UUID) {
        self.createdAtMicroseconds = createdAtMicroseconds
        self.id = id
    }

    public init?(_ description: String) {
        let parts = description.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1]))
        else {
            return nil
        }
        self.init(createdAtMicroseconds: micros, id: id)
    }

    public var description: String { "\(createdAtMicroseconds).\(id.uuidString.lowercased())" }
}
