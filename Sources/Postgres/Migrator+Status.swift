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
        let pending = migrations.filter { appliedByVersion[$0.version] == nil }
        let present = migrations.filter { appliedByVersion[$0.version] != nil }
        let checksums = try await self.checksums(of: present, on: connection)
        let modified = zip(present, checksums).compactMap { migration, checksum in
            checksum == appliedByVersion[migration.version]?.checksum ? nil : migration.fileName
        }
        return MigrationStatus(
            applied: applied, pending: pending, modified: modified,
            unknown: applied.filter { !files.contains($0.version) })
    }

    /// Hex SHA-256 of each file's bytes, computed by the server (so this module needs no crypto
    /// code) in one round trip: the files travel as one bytea[] parameter.
    func checksums(of migrations: [Migration], on connection: PostgresConnection) async throws -> [String] {
        guard !migrations.isEmpty else { return [] }
        let files = PostgresValue.text(
            ArrayLiteral.format(migrations.map { .binary(Array($0.sql.utf8), type: .bytea) }),
            type: .byteaArray)
        let rows = try await connection.query(
            """
            SELECT encode(sha256(file), 'hex') FROM unnest($1::bytea[]) WITH ORDINALITY AS f(file, n)
            ORDER BY n
            """, [files])
        guard rows.count == migrations.count else {
            throw PostgresError(
                .migration, "the server returned \(rows.count) checksums for \(migrations.count) files")
        }
        return try rows.map { try $0.decode(0) }
    }
}
