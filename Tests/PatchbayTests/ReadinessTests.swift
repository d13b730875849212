import Foundation
import Patchbay
import Postgres
import TestSupport
import XCTest

final class ReadinessTests: XCTestCase {
    func testPendingAndEditedMigrationsMakeTheNodeNotReady() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { await database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "readiness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("0001_things.sql")
        try "CREATE TABLE things (id int);".write(to: file, atomically: true, encoding: .utf8)

        let pending = try await Readiness(
            pool: database.pool, migrationsDirectory: folder.path, cacheFor: .zero
        ).check()
        XCTAssertFalse(pending.isReady)
        XCTAssertEqual(pending.migrations, "1 pending")

        try await Migrator(pool: database.pool, directory: folder.path).migrate()
        let current = try await Readiness(
            pool: database.pool, migrationsDirectory: folder.path, cacheFor: .zero
        ).check()
        XCTAssertTrue(current.isReady)

        try "CREATE TABLE things (id bigint);".write(to: file, atomically: true, encoding: .utf8)
        let edited = try await Readiness(
            pool: database.pool, migrationsDirectory: folder.path, cacheFor: .zero
        ).check()
        XCTAssertFalse(edited.isReady)
        XCTAssertTrue(edited.migrations.contains("0001_things.sql"))
    }
}
