import Foundation
import JSON
import Logging
import Patchbay

/// A small catalog and installed connectors for tests, made through the real services.
public enum ConnectorFixtures {
    /// Catalog entries the connector tests use: simple API keys (openai, stripe), a `oneOf` of auth
    /// methods (github), typed settings (postgresql) and a publishing target (mastodon).
    public static let seedKeys = ["mastodon", "github", "postgresql", "stripe", "openai"]

    /// Syncs `keys` from Seeds/ into the platform catalog.
    public static func seed(_ catalog: CatalogService, keys: [String] = seedKeys) async throws {
        let seeds = try TemporarySeeds.copy(keys: keys)
        defer { seeds.remove() }
        _ = try await catalog.syncPlatform(from: seeds.path)
    }

    /// A catalog service over `environment`, seeded with `keys`.
    public static func catalog(_ environment: AppEnvironment, keys: [String] = seedKeys) async throws
        -> CatalogService
    {
        let catalog = try CatalogService.make(
            database: environment.database, paths: environment.paths, logger: Logger(label: "test.catalog"))
        try await seed(catalog, keys: keys)
        return catalog
    }

    /// A valid OpenAI install: the secret is `secret` (at least 20 characters after `sk-`).
    public static func openAI(_ name: String, secret: String = "sk-" + String(repeating: "a", count: 24))
        -> ConnectorDraft
    {
        ConnectorDraft(
            catalogKey: "openai", name: name,
            config: ["base_url": "https://api.openai.com/v1", "default_model": "gpt-4o-mini"],
            auth: ["api_key": .string(secret)], tags: ["ai"])
    }

    /// A valid PostgreSQL install with a password.
    public static func postgres(_ name: String, password: String = "pg-password-1") -> ConnectorDraft {
        ConnectorDraft(
            catalogKey: "postgresql", name: name,
            config: [
                "host": "db.internal", "port": 5432, "database": "app", "user": "app", "sslmode": "require",
            ],
            auth: ["password": .string(password)], tags: ["prod", "db"])
    }

    /// A unique secret-looking value that matches OpenAI's key pattern.
    public static func sentinel() -> String {
        "sk-SENTINEL" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    }
}
