import Postgres

extension Database {
    /// A warning when the database role bypasses row-level security (a superuser or `BYPASSRLS`
    /// role), which would silently remove the second wall between tenants; nil when all is well.
    public func rowSecurityWarning() async throws -> String? {
        let row = try await pool.queryFirst(
            "SELECT current_user::text AS name, rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user"
        )
        guard let row, try row.decode("bypasses", as: Bool.self) else { return nil }
        let name: String = try row.decode("name")
        return "the database role \(name) bypasses row-level security (superuser or BYPASSRLS); "
            + "connect as an ordinary role so tenant isolation is enforced by PostgreSQL too"
    }
}
