import Postgres
import XCTest

final class MigratorTests: PostgresTestCase {
    private var folder: URL!

    override func setUp() async throws {
        try await super.setUp()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: folder)
        try await super.tearDown()
    }

    private func write(_ name: String, _ sql: String) throws {
        try sql.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func writeStandardFiles() throws {
        try write(
            "0001_create_users.sql",
            """
            CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
            CREATE INDEX users_email_lower ON users (lower(email));
            """)
        try write(
            "0002_add_name.sql", "ALTER TABLE users ADD COLUMN name text; -- a comment; with semicolons")
        try write("README.md", "not a migration")
    }

    private func tableExists(_ pool: PostgresPool, _ name: String) async throws -> Bool {
        try await pool.scalar("SELECT to_regclass($1) IS NOT NULL", [name])
    }

    func testFreshApplyThenNoOpAndStatus() async throws {
        try writeStandardFiles()
        let pool = makePool(try await makeDatabase())
        let migrator = try Migrator(pool: pool, directory: folder.path)
        XCTAssertEqual(migrator.migrations.map(\.fileName), ["0001_create_users.sql", "0002_add_name.sql"])

        let before = try await migrator.status()
        XCTAssertFalse(before.isCurrent)
        XCTAssertEqual(before.pending.map(\.version), [1, 2])

        let applied = try await migrator.migrate()
        XCTAssertEqual(applied.map(\.name), ["create_users", "add_name"])
        try await pool.execute("INSERT INTO users (email, name) VALUES ($1, $2)", ["a@b.c", "A"])
        let rows = try await pool.query(
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY 1")
        XCTAssertEqual(try rows.map { try $0.decode("version", as: Int.self) }, [1, 2])
        // sha256sum of the first file's exact bytes.
        XCTAssertEqual(
            try rows.first?.decode("checksum", as: String.self),
            "01f9899860b13895d0f11cc838b665a0282ac18ac02f26db47039c828cf0e4fa")

        let again = try await migrator.migrate()
        XCTAssertEqual(again.count, 0, "a second run applies nothing")
        let after = try await migrator.status()
        XCTAssertTrue(after.isCurrent)
        XCTAssertEqual(after.applied.map(\.version), [1, 2])

        try write("0003_add_age.sql", "ALTER TABLE users ADD COLUMN age int;")
        let grown = try Migrator(pool: pool, directory: folder.path)
        let pendingStatus = try await grown.status()
        XCTAssertEqual(pendingStatus.pending.map(\.fileName), ["0003_add_age.sql"])
        let third = try await grown.migrate()
        XCTAssertEqual(third.map(\.version), [3])
    }

    func testEditedMigrationIsRefusedByName() async throws {
        try writeStandardFiles()
        let pool = makePool(try await makeDatabase())
        try await Migrator(pool: pool, directory: folder.path).migrate()
        try write("0002_add_name.sql", "ALTER TABLE users ADD COLUMN full_name text;")
        try write("0003_more.sql", "CREATE TABLE more (id int);")
        let migrator = try Migrator(pool: pool, directory: folder.path)
        let error = await expectPostgresError { try await migrator.migrate() }
        XCTAssertEqual(error?.kind, .migration)
        XCTAssertTrue(error?.message.contains("0002_add_name.sql") == true, "\(String(describing: error))")
        let more = try await tableExists(pool, "more")
        XCTAssertFalse(more, "nothing runs after an edited migration is found")
        let status = try await migrator.status()
        XCTAssertEqual(status.modified, ["0002_add_name.sql"])
        XCTAssertFalse(status.isCurrent)
    }

    func testFailingMigrationLeavesNothingHalfApplied() async throws {
        try write("0001_ok.sql", "CREATE TABLE first (id int);")
        try write(
            "0002_broken.sql",
            """
            CREATE TABLE second (id int);
            INSERT INTO second VALUES (1);
            SELECT * FROM no_such_table;
            """)
        try write("0003_later.sql", "CREATE TABLE third (id int);")
        let pool = makePool(try await makeDatabase())
        let migrator = try Migrator(pool: pool, directory: folder.path)
        let error = await expectPostgresError { try await migrator.migrate() }
        XCTAssertEqual(error?.kind, .migration)
        XCTAssertEqual(error?.sqlState, "42P01")
        XCTAssertTrue(error?.message.contains("0002_broken.sql") == true, "\(String(describing: error))")
        let first = try await tableExists(pool, "first")
        let second = try await tableExists(pool, "second")
        let third = try await tableExists(pool, "third")
        XCTAssertTrue(first)
        XCTAssertFalse(second, "the failed file's earlier statements were rolled back")
        XCTAssertFalse(third)
        let status = try await migrator.status()
        XCTAssertEqual(status.applied.map(\.version), [1])
        XCTAssertEqual(status.pending.map(\.version), [2, 3])
    }

    func testConcurrentMigratorsApplyEachFileOnce() async throws {
        try write(
            "0001_slow.sql",
            "CREATE TABLE counter (n int); SELECT pg_sleep(0.3); INSERT INTO counter VALUES (1);")
        try write("0002_bump.sql", "UPDATE counter SET n = n + 1;")
        let configuration = try await makeDatabase()
        let pools = [makePool(configuration), makePool(configuration), makePool(configuration)]
        let migrators = try pools.map { try Migrator(pool: $0, directory: folder.path) }
        let results = try await withThrowingTaskGroup(of: [Migration].self) { group in
            for migrator in migrators {
                group.addTask { try await migrator.migrate() }
            }
            var all: [[Migration]] = []
            for try await applied in group { all.append(applied) }
            return all
        }
        XCTAssertEqual(
            results.map(\.count).sorted(), [0, 0, 2], "one node applies, the others find nothing to do")
        let counter: Int = try await pools[0].scalar("SELECT n FROM counter")
        XCTAssertEqual(counter, 2)
        let recorded: Int = try await pools[0].scalar("SELECT count(*) FROM schema_migrations")
        XCTAssertEqual(recorded, 2)
    }

    func testBadFileNamesAreRejected() throws {
        try write("create_users.sql", "SELECT 1;")
        XCTAssertThrowsError(try Migration.load(from: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("create_users.sql"), "\(error)")
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("create_users.sql"))
        try write("0001_a.sql", "SELECT 1;")
        try write("001_b.sql", "SELECT 1;")
        XCTAssertThrowsError(try Migration.load(from: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("share version 1"), "\(error)")
        }
        XCTAssertThrowsError(try Migration.load(from: folder.path + "/missing"))
    }
}
