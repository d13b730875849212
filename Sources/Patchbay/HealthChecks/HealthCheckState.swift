import Foundation
import Postgres

/// A connector's scheduled health checks: how often, when next, when last, and how many failed in a row.
public struct HealthCheckState: Sendable, Equatable {
    /// Minutes between two checks; nil when the connector is not checked on a schedule.
    public var intervalMinutes: Int?
    /// When the next check is due (checks run only while the connector is active).
    public var nextCheckAt: Date?
    /// When a scheduled check last finished.
    public var lastCheckedAt: Date?
    /// Failed tests since the last success, or since the connector last went to error.
    public var consecutiveFailures: Int

    /// The shortest and longest intervals: a minute, a week.
    public static let intervals = 1...10_080
    /// No scheduled checks, nothing failed.
    public static let off = HealthCheckState(
        intervalMinutes: nil, nextCheckAt: nil, lastCheckedAt: nil, consecutiveFailures: 0)

    public var isEnabled: Bool { intervalMinutes != nil }

    /// "5 minutes", "1 hour", "6 hours", "1 day"; "" when off.
    public var intervalText: String { intervalMinutes.map(Self.intervalText(minutes:)) ?? "" }

    /// "5 minutes", "1 hour", "6 hours", "1 day".
    public static func intervalText(minutes: Int) -> String {
        func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        if minutes % 1440 == 0 { return plural(minutes / 1440, "day") }
        if minutes % 60 == 0 { return plural(minutes / 60, "hour") }
        return plural(minutes, "minute")
    }

    init(intervalMinutes: Int?, nextCheckAt: Date?, lastCheckedAt: Date?, consecutiveFailures: Int) {
        self.intervalMinutes = intervalMinutes
        self.nextCheckAt = nextCheckAt
        self.lastCheckedAt = lastCheckedAt
        self.consecutiveFailures = consecutiveFailures
    }

    /// Reads the columns of migration 0005 from a `connectors` row.
    init(_ row: PostgresRow) throws {
        self.init(
            intervalMinutes: try row.decode("health_check_minutes"),
            nextCheckAt: try row.decode("next_health_check_at"),
            lastCheckedAt: try row.decode("last_health_check_at"),
            consecutiveFailures: try row.decode("consecutive_failures"))
    }
}
