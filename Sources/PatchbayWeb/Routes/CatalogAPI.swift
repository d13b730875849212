import Foundation
import HTTPServer
import JSON
import Patchbay
import Secrets

/// `/api/v1/catalog...`, `/api/v1/connector-types` and the superuser's catalog sync.
struct CatalogAPI {
    let catalog: CatalogService
    let seedsDirectory: String
    let bodies = BoundedCache<(body: [UInt8], etag: String)>()

    func register(on api: RouteGroup<PatchbayContext>) {
        api.get("/catalog", routeInfo("List catalog entries", .catalogRead)) { request, context in
            try await list(request, context)
        }
        api.post("/catalog", routeInfo("Publish a tenant-private catalog entry", .catalogPublish)) {
            request, context in try await publish(request, context)
        }
        api.get("/catalog/{key}", routeInfo("Get a catalog entry", .catalogRead)) { request, context in
            let entry = try await catalog.entry(
                tenantID: context.catalogTenantID, key: request.parameters["key"] ?? "")
            return .json(Self.detailJSON(entry).serialized())
        }
        api.get("/catalog/{key}/versions", routeInfo("List a catalog entry's versions", .catalogRead)) {
            request, context in
            let versions = try await catalog.versions(
                tenantID: context.catalogTenantID, key: request.parameters["key"] ?? "")
            let items = versions.map { version -> JSON in
                [
                    "version": .string(version.version), "checksum": .string(version.checksum),
                    "created_at": .string(version.createdAt.ISO8601Format()),
                    "is_latest": .bool(version.isLatest),
                ]
            }
            return .json(JSON.object(["items": .array(items)]).serialized())
        }
        api.get("/connector-types", routeInfo("Connector kinds and their providers", .catalogRead)) {
            _, context in
            let kinds = try await catalog.connectorTypes(tenantID: context.catalogTenantID).map {
                kind -> JSON in
                ["kind": .string(kind.kind), "providers": .array(kind.providers.map(JSON.string))]
            }
            return .json(JSON.object(["items": .array(kinds)]).serialized())
        }
        api.post("/admin/catalog/sync", routeInfo("Sync the platform catalog from Seeds/", .catalogSync)) {
            _, _ in try await sync()
        }
    }

    private func list(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let filter = CatalogFilter(
            query: request.query["q"], category: request.query["category"], kind: request.query["kind"],
            status: request.query["status"])
        let limit = try Self.integer(request, "limit", default: 100, range: 1...500)
        let offset = try Self.integer(request, "offset", default: 0, range: 0...1_000_000)
        let cacheKey =
            "\(catalog.cache.generation)|\(context.catalogTenantID?.uuidString ?? "-")|\(request.target)"
        let body: [UInt8]
        let etag: String
        if let hit = bodies.lookup(cacheKey) {
            (body, etag) = hit
        } else {
            let page = try await catalog.list(
                tenantID: context.catalogTenantID, filter: filter, limit: limit, offset: offset)
            body = JSON.object([
                "items": .array(page.entries.map(\.summaryJSON)),
                "total": .int(Int64(page.total)), "limit": .int(Int64(page.limit)),
                "offset": .int(Int64(page.offset)),
            ]).serialized()
            etag = "\"" + String(try SHA256.hexDigest(body).prefix(20)) + "\""
            bodies.store(cacheKey, (body, etag))
        }
        if let candidates = request.headers["If-None-Match"],
            candidates.split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == etag
            })
        {
            var response = HTTPResponse(status: .notModified)
            response.headers.add(name: "ETag", value: etag)
            return response
        }
        var response = HTTPResponse.json(body)
        response.headers.add(name: "ETag", value: etag)
        response.headers.add(name: "Cache-Control", value: "private, no-cache")
        return response
    }

    private func publish(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        guard let tenantID = context.catalogTenantID else {
            throw AppError(.forbidden, "Private catalog entries belong to a workspace; sign in to one first.")
        }
        let manifest = try APIBody.json(request)
        let (entry, created) = try await catalog.publishPrivate(tenantID: tenantID, manifest: manifest)
        return .json(Self.detailJSON(entry).serialized(), status: created ? .created : .ok)
    }

    private func sync() async throws -> HTTPResponse {
        do {
            let summary = try await catalog.syncPlatform(from: seedsDirectory)
            return .json(Self.summaryJSON(summary).serialized())
        } catch let error as ManifestLoadError {
            let fields = Dictionary(grouping: error.problems, by: \.file).mapValues {
                $0.map { $0.problem.description }
            }
            throw AppError.validation(fields, message: "Some manifests are invalid; nothing was changed.")
        } catch let error as CatalogSyncRefused {
            let fields = Dictionary(grouping: error.summary.refused, by: \.0).mapValues { $0.map(\.1) }
            throw AppError(
                .conflict, "Some manifests changed without a version bump; nothing was changed.",
                fields: fields)
        }
    }

    static func summaryJSON(_ summary: CatalogSyncSummary) -> JSON {
        [
            "added": .array(summary.added.map(JSON.string)),
            "upgraded": .array(summary.upgraded.map(JSON.string)),
            "unchanged": .int(Int64(summary.unchanged.count)),
        ]
    }

    static func detailJSON(_ entry: CatalogEntry) -> JSON {
        guard case .object(var object) = entry.summaryJSON else { return entry.summaryJSON }
        object["config_schema"] = entry.manifest.configSchemaJSON
        object["auth_schema"] = entry.manifest.authSchemaJSON
        object["actions"] = entry.manifest.json["actions"] ?? []
        object["triggers"] = entry.manifest.json["triggers"] ?? []
        object["test"] = entry.manifest.json["test"] ?? .null
        object["status_note"] = entry.manifest.json["status_note"] ?? .null
        return .object(object)
    }

    static func integer(_ request: HTTPRequest, _ name: String, default value: Int, range: ClosedRange<Int>)
        throws -> Int
    {
        guard let text = request.query[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw AppError(
                .badRequest,
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).",
                fields: [name: ["must be a whole number from \(range.lowerBound) to \(range.upperBound)"]])
        }
        return number
    }
}
