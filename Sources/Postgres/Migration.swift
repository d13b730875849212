#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One migration file: `NNNN_name.sql` (the number orders the files; at least one digit).
public struct Migration: Sendable, Hashable {
    /// The number from the file name.
    public var version: Int
    /// The part of the file name between the number and `.sql`.
    public var name: String
    /// The file name, used in messages.
    public var fileName: String
    /// The file's SQL; may hold several statements.
    public var sql: String

    public init(version: Int, name: String, fileName: String, sql: String) {
        self.version = version
        self.name = name
        self.fileName = fileName
        self.sql = sql
    }

    /// Reads every `*.sql` file of `directory`, sorted by version.
    ///
    /// Throws `.migration` for a `.sql` file whose name does not start with a number and an
    /// underscore, or for two files with the same number. Other files (README, ...) are ignored.
    public static func load(from directory: String) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PostgresError(.migration, "cannot read the migrations folder '\(directory)': \(error)")
        }
        var migrations: [Migration] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let stem = fileName.dropLast(4)
            let digits = stem.prefix(while: \.isASCIIDigit)
            guard let version = Int(digits), stem.dropFirst(digits.count).first == "_" else {
                throw PostgresError(
                    .migration, "migration file '\(fileName)' must be named like 0001_create_users.sql")
            }
            let path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
            guard let data = FileManager.default.contents(atPath: path),
                let sql = String(validating: Array(data), as: UTF8.self)
            else {
                throw PostgresError(.migration, "cannot read migration file '\(fileName)' as UTF-8 text")
            }
            let name = String(stem.dropFirst(digits.count + 1))
            migrations.append(Migration(version: version, name: name, fileName: fileName, sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version
        {
            throw PostgresError(
                .migration,
                "migration files '\(earlier.fileName)' and '\(later.fileName)' share version \(later.version)"
            )
        }
        return migrations
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A row of `schema_migrations`.
public struct AppliedMigration: Sendable, Hashable {
    public var version: Int
    public var name: String
    /// Hex SHA-256 of the file as it was applied.
    public var checksum: String
    public var appliedAt: Date
}

/// How the database compares with the migration files.
public struct MigrationStatus: Sendable {
    /// Migrations recorded in `schema_migrations`, by version.
    public var applied: [AppliedMigration]
    /// Files not applied yet, in the order `migrate()` would apply them.
    public var pending: [Migration]
    /// Applied files whose content changed since (by file name).
    public var modified: [String]
    /// Applied versions with no file any more (a newer node may have applied them).
    public var unknown: [AppliedMigration]

    /// True when nothing is pending and no applied file was edited: the schema matches the code.
    public var isCurrent: Bool { pending.isEmpty && modified.isEmpty }
}
