import Logging

extension CatalogService {
    /// The service with its manifest validator (from docs/manifest.schema.json) and an empty cache.
    public static func make(database: Database, paths: ProjectPaths, logger: Logger) throws -> CatalogService
    {
        let validator = try ManifestValidator(manifestSchemaPath: paths.manifestSchema)
        let cache = CatalogCache(database: database, validator: validator, logger: logger)
        return CatalogService(database: database, cache: cache, loader: ManifestLoader(validator: validator))
    }
}
