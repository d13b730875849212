extension Migrator {
    func appliedRows(_ connection: PostgresConnection) async throws -> [AppliedMigration] {
        try await connection.query(
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version"
        )
        .map { row in
            AppliedMigration(
                version: try row.decode("version"), name: try row.decode("name"),
                checksum: try row.decode("checksum"), appliedAt: try row.decode("applied_at"))
        }
    }

    func compare(applied: [AppliedMigration], on connection: PostgresConnection) async throws
        -> MigrationStatus
    {
        let appliedByVersion = Dictionary(
            applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let files = Set(migrations.map(\.version))
        var pending: [Migration] = []
        var modified: [String] = []
        for migration in migrations {
            guard let record = appliedByVersion[migration.version] else {
                pending.append(migration)
                continue
            }
            if try await checksum(of: migration, on: connection) != record.checksum {
                modified.append(migration.fileName)
            }
        }
        return MigrationStatus(
            applied: applied, pending: pending, modified: modified,
            unknown: applied.filter { !files.contains($0.version) })
    }

    /// Hex SHA-256 of the file's bytes, computed by the server so the module needs no crypto code.
    func checksum(of migration: Migration, on connection: PostgresConnection) async throws -> String {
        let row = try await connection.queryFirst(
            "SELECT encode(sha256($1::bytea), 'hex')", [Array(migration.sql.utf8)])
        guard let row else { throw PostgresError(.migration, "the server returned no checksum") }
        return try row.decode(0)
    }
}
