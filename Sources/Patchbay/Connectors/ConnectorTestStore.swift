import Foundation
import Postgres

/// SQL of test results and health-check settings on the `connectors` table. Neither bumps
/// `row_version`: a test running in the background must not turn someone's open edit into a 409.
enum ConnectorTestStore {
    /// Stores `result` in the last-test columns and counts it; returns the failures in a row now.
    static func save(
        _ result: ConnectionTestResult, id: UUID, tenantID: UUID, scheduled: Bool,
        on connection: PostgresConnection
    ) async throws -> Int {
        let row = try await connection.queryFirst(
            """
            UPDATE connectors
            SET last_tested_at = now(), last_test_result = $3, last_test_latency_ms = $4, last_error = $5,
                consecutive_failures = CASE WHEN $3 = 'success' THEN 0 ELSE consecutive_failures + 1 END,
                last_health_check_at = CASE WHEN $6 THEN now() ELSE last_health_check_at END
            WHERE tenant_id = $1 AND id = $2
            RETURNING consecutive_failures
            """,
            [
                tenantID, id, result.success ? "success" : "failure", result.latencyMs,
                result.success ? nil : String(result.message.prefix(1000)), scheduled,
            ])
        return try row?.decode("consecutive_failures") ?? 0
    }

    /// Starts counting failures afresh (the connector just went to error: the count said why).
    static func resetFailures(id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "UPDATE connectors SET consecutive_failures = 0 WHERE tenant_id = $1 AND id = $2", [tenantID, id])
    }

    /// Turns scheduled checks on (every `minutes`, the first one `minutes` from now) or off (nil).
    static func setHealthCheck(
        minutes: Int?, id: UUID, tenantID: UUID, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            UPDATE connectors
            SET health_check_minutes = $3::int4,
                next_health_check_at = now() + $3::int4 * interval '1 minute',
                consecutive_failures = CASE WHEN $3::int4 IS NULL THEN 0 ELSE consecutive_failures END
            WHERE tenant_id = $1 AND id = $2
            """, [tenantID, id, minutes])
    }
}
