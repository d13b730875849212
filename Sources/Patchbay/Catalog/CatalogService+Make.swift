import Logging

extension CatalogService {
    /// The service with its manifest validator (from docs/manifest.schema.json) and an empty cache,
    /// whose copy is reloaded after `cacheMaxAge` at the latest.
    public static func make(
        database: Database, paths: ProjectPaths, logger: Logger, cacheMaxAge: Duration = .seconds(60)
    ) throws -> CatalogService {
        let validator = try ManifestValidator(manifestSchemaPath: paths.manifestSchema)
        let cache = CatalogCache(
            database: database, validator: validator, maxAge: cacheMaxAge, logger: logger)
        return CatalogService(database: database, cache: cache, loader: ManifestLoader(validator: validator))
    }
}
