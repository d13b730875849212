import JSON
import Outbound

/// What a protocol probe does for one test type: which check, against which endpoints, and what
/// it leaves unchecked — so the result never claims more than was tried.
struct SocketProbePlan {
    var kind: ProbeKind
    /// Tried in order until one answers (Kafka bootstrap servers, NATS servers, Cassandra nodes).
    var endpoints: [Endpoint]
    /// For `.tcp`: what a full test would have checked ("SQL Server login is not checked").
    var tcpOnlyReason: String?
    /// Appended to a protocol check's success ("the password was not checked").
    var note: String?

    /// The plan for `type`, reading `config` and `auth` by the conventions of docs/manifests.md;
    /// nil when `type` is not a socket probe.
    static func make(type: String, config: JSONObject, auth: JSONObject) throws(SetupProblem)
        -> SocketProbePlan?
    {
        func one(_ port: Int) throws(SetupProblem) -> [Endpoint] {
            [try Endpoint.from(config, defaultPort: port)]
        }
        func tcpOnly(_ endpoints: [Endpoint], _ reason: String) -> SocketProbePlan {
            SocketProbePlan(kind: .tcp, endpoints: endpoints, tcpOnlyReason: reason)
        }
        let isTLS = config["tls"]?.bool == true
        switch type {
        case "tcp":
            return tcpOnly(try one(0), "no protocol check is configured")
        case "redis":
            let kind = ProbeKind.redis(
                username: nonEmpty(config["username"]), password: nonEmpty(auth["password"]), tls: isTLS)
            return SocketProbePlan(kind: kind, endpoints: try one(6379))
        case "mysql":
            return SocketProbePlan(
                kind: .mysql, endpoints: try one(3306), note: "the password was not checked")
        case "amqp":
            if isTLS { return tcpOnly(try one(5671), "AMQP over TLS is not checked") }
            return SocketProbePlan(kind: .amqp, endpoints: try one(5672), note: "the login was not checked")
        case "mqtt":
            if isTLS { return tcpOnly(try one(8883), "MQTT over TLS is not checked") }
            let kind = ProbeKind.mqtt(
                username: nonEmpty(auth["username"]), password: nonEmpty(auth["password"]))
            return SocketProbePlan(kind: kind, endpoints: try one(1883))
        case "smtp":
            if config["security"]?.string == "tls" {
                return tcpOnly(try one(465), "SMTP over implicit TLS is not checked")
            }
            return SocketProbePlan(kind: .smtp, endpoints: try one(587), note: "the login was not checked")
        case "ftp":
            if config["tls"]?.string == "implicit" {
                return tcpOnly(try one(990), "FTP over implicit TLS is not checked")
            }
            return SocketProbePlan(kind: .ftp, endpoints: try one(21), note: "the login was not checked")
        case "kafka":
            return try kafka(config)
        case "nats":
            let servers = try list(config["servers"], what: "servers", defaultPort: 4222)
            return SocketProbePlan(kind: .nats, endpoints: servers, note: "the credentials were not checked")
        default:
            return try tcpOnlyPlan(type: type, config: config)
        }
    }

    private static func kafka(_ config: JSONObject) throws(SetupProblem) -> SocketProbePlan {
        let brokers = try list(config["bootstrap_servers"], what: "bootstrap servers", defaultPort: 9092)
        let security = config["security_protocol"]?.string ?? "PLAINTEXT"
        if security.hasSuffix("SSL") {
            return SocketProbePlan(
                kind: .tcp, endpoints: brokers, tcpOnlyReason: "Kafka over TLS (\(security)) is not checked")
        }
        let note = security.hasPrefix("SASL") ? "the SASL login was not checked" : nil
        return SocketProbePlan(kind: .kafka, endpoints: brokers, note: note)
    }

    /// Types whose protocol the server does not speak yet: a TCP connect to where they live.
    private static func tcpOnlyPlan(type: String, config: JSONObject) throws(SetupProblem)
        -> SocketProbePlan?
    {
        func plan(_ endpoints: [Endpoint], _ reason: String) -> SocketProbePlan {
            SocketProbePlan(kind: .tcp, endpoints: endpoints, tcpOnlyReason: reason)
        }
        func named(_ host: String, _ port: Int) throws(SetupProblem) -> [Endpoint] {
            [Endpoint(host: try Endpoint.host(host), port: port)]
        }
        switch type {
        case "mssql":
            return plan([try Endpoint.from(config, defaultPort: 1433)], "the SQL Server login is not checked")
        case "oracle":
            return plan([try Endpoint.from(config, defaultPort: 1521)], "the Oracle login is not checked")
        case "mongodb":
            return plan([try Endpoint.from(config, defaultPort: 27017)], "the MongoDB login is not checked")
        case "sftp":
            return plan([try Endpoint.from(config, defaultPort: 22)], "the SSH login is not checked")
        case "cassandra":
            let port = try Endpoint.port(config["port"], default: 9042)
            let nodes = try list(config["contact_points"], what: "contact points", defaultPort: port)
            return plan(nodes, "the Cassandra login is not checked")
        case "s3":
            if let endpoint = config["endpoint"]?.string, !endpoint.isEmpty {
                let port = endpoint.hasPrefix("http://") ? 80 : 443
                return plan(
                    [try Endpoint.parse(endpoint, defaultPort: port)], "the S3 credentials are not checked")
            }
            let region = config["region"]?.string ?? "us-east-1"
            return plan(try named("s3.\(region).amazonaws.com", 443), "the S3 credentials are not checked")
        case "azure_blob":
            guard let account = nonEmpty(config["account_name"]) else {
                throw SetupProblem(message: "The config has no account_name.")
            }
            let suffix = nonEmpty(config["endpoint_suffix"]) ?? "core.windows.net"
            return plan(try named("\(account).blob.\(suffix)", 443), "the Azure credentials are not checked")
        case "snowflake":
            guard let account = nonEmpty(config["account"]) else {
                throw SetupProblem(message: "The config has no account.")
            }
            return plan(
                try named("\(account).snowflakecomputing.com", 443), "the Snowflake login is not checked")
        default:
            return nil
        }
    }

    /// A list of `host:port` strings (or one string with commas).
    private static func list(_ value: JSON?, what: String, defaultPort: Int) throws(SetupProblem)
        -> [Endpoint]
    {
        var texts = value?.array?.compactMap(\.string) ?? []
        if let single = value?.string { texts = single.split(separator: ",").map(String.init) }
        texts = texts.filter { !$0.trimmingHeaderSpace().isEmpty }
        guard !texts.isEmpty else { throw SetupProblem(message: "The config lists no \(what).") }
        var endpoints: [Endpoint] = []
        for text in texts { endpoints.append(try Endpoint.parse(text, defaultPort: defaultPort)) }
        return endpoints
    }

    private static func nonEmpty(_ value: JSON?) -> String? {
        guard let text = value?.string, !text.isEmpty else { return nil }
        return text
    }
}
