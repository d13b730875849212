import Glibc
import JSON
import Postgres

/// The libpq settings of a PostgreSQL test, read from the conventional fields of docs/manifests.md:
/// `config.host`, `port`, `database`, `user`, `sslmode`, `sslrootcert`, `connect_timeout`,
/// `application_name`; `auth.password`, `auth.sslkey` and `config`/`auth.sslcert`.
struct PostgresTestSettings {
    static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Where libpq would otherwise look for the server's own files (`~/.pgpass`, the client
    /// certificate in `~/.postgresql`): a path that cannot exist, so nothing of the server's
    /// is ever offered to a host a tenant chose.
    static let absentFile = "/dev/null/absent"

    let config: JSONObject
    let auth: JSONObject
    let timeout: Duration

    init(config: JSONObject, auth: JSONObject, timeout: Duration) {
        self.config = config
        self.auth = auth
        self.timeout = timeout
    }

    /// The configuration for `host`:`port`, pinned to `address`.
    func configuration(host: String, port: Int, address: String, files: TemporaryPEMFiles)
        throws(SetupProblem)
        -> PostgresConfiguration
    {
        guard let database = text("database", in: config) else {
            throw SetupProblem(message: "The config has no database.")
        }
        guard let user = text("user", in: config) ?? text("username", in: config) else {
            throw SetupProblem(message: "The config has no user.")
        }
        let sslMode = text("sslmode", in: config) ?? "prefer"
        guard Self.sslModes.contains(sslMode) else {
            throw SetupProblem(
                message: "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full.")
        }
        let timeoutSeconds = Int((timeout.components.seconds) + (timeout.components.attoseconds > 0 ? 1 : 0))
        let configured = config["connect_timeout"]?.int ?? timeoutSeconds
        // libpq counts whole seconds and treats 1 as 2; the test's own timeout caps the config's.
        let connectTimeout = max(2, min(configured, timeoutSeconds))
        var options: [(key: String, value: String)] = [
            ("hostaddr", address), ("sslmode", sslMode), ("connect_timeout", String(connectTimeout)),
            ("application_name", text("application_name", in: config) ?? "patchbay"),
            ("options", "-c statement_timeout=\(max(1000, FailureWording.milliseconds(timeout)))"),
            ("gssencmode", "disable"), ("passfile", Self.absentFile),
        ]
        if let root = text("sslrootcert", in: config) {
            options.append(("sslrootcert", try files.write(root, as: "root.crt")))
        }
        let certificate = text("sslcert", in: auth) ?? text("sslcert", in: config)
        if let certificate, let key = text("sslkey", in: auth) {
            options.append(("sslcert", try files.write(certificate, as: "client.crt")))
            options.append(("sslkey", try files.write(key, as: "client.key")))
        } else {
            options.append(("sslcert", Self.absentFile))
            options.append(("sslkey", Self.absentFile))
        }
        return PostgresConfiguration(
            host: host, port: port, user: user, password: password, database: database, options: options)
    }

    /// `auth.password`. libpq ignores an empty password and falls back to `PGPASSWORD` from the
    /// server's own environment, which would hand the server's credential to the tenant's host;
    /// when that variable is set, a lone space stands in for "no password".
    private var password: String? {
        if let given = text("password", in: auth) { return given }
        return getenv("PGPASSWORD") == nil ? nil : " "
    }

    private func text(_ key: String, in object: JSONObject) -> String? {
        guard let value = object[key]?.string, !value.isEmpty else { return nil }
        return value
    }
}
