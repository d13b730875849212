import HTTPServer
import JSON
import Patchbay

/// `/healthz` (the process answers) and `/readyz` (the database answers and migrations are current),
/// for load balancers and orchestrators.
enum HealthRoutes {
    static func register(on router: Router<PatchbayContext>, readiness: Readiness) {
        router.get("/healthz", metadata: ["summary": "Liveness probe"]) { _, _ in
            .text("ok\n")
        }
        router.get("/readyz", metadata: ["summary": "Readiness probe"]) { _, _ in
            let report = await readiness.check()
            let body: JSON = [
                "status": .string(report.isReady ? "ready" : "not_ready"),
                "database": .string(report.database),
                "migrations": .string(report.migrations),
            ]
            return .json(body.serialized(), status: report.isReady ? .ok : .serviceUnavailable)
        }
    }
}
