import Foundation

/// Where an installed connector stands. New connectors are inactive; people switch between inactive
/// and active; failed tests and executions put it in `error` (with a message), from which people
/// move it back to inactive or active.
public enum ConnectorStatus: String, Sendable, CaseIterable {
    case inactive
    case active
    case error

    /// "Inactive", "Active", "Error".
    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// Whether a person (not a failing test or execution) may move a connector from `self` to `target`.
    public func allowsUserChange(to target: ConnectorStatus) -> Bool {
        target != .error
    }

    /// Parses `inactive`, `active` or `error`, ignoring case and surrounding spaces.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
