// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Patchbay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "patchbay", targets: ["patchbay"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLinux"),

        // Libraries that know nothing of Patchbay.
        .target(
            name: "HTTPServer", dependencies: ["CLinux", .product(name: "Logging", package: "swift-log")]),
        .target(name: "Postgres", dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]),
        .target(name: "Templating"),
        .target(name: "JSON"),
        .target(name: "JSONSchema", dependencies: ["JSON"]),
        .target(name: "Secrets", dependencies: ["COpenSSL"]),
        .target(name: "Outbound", dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")]),

        // Patchbay itself.
        .target(
            name: "Patchbay",
            dependencies: [
                "Postgres", "Secrets", "JSON", "JSONSchema", "Outbound",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "PatchbayWeb",
            dependencies: [
                "HTTPServer", "Templating", "Patchbay", "JSON", "Postgres", "Outbound",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "patchbay",
            dependencies: [
                "PatchbayWeb", "Patchbay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "HTTPBench", dependencies: ["HTTPServer"]),
        .executableTarget(
            name: "PatchbayBench",
            dependencies: ["Templating", "JSON", "JSONSchema"]),

        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "HTTPServer", "PatchbayWeb", "Patchbay", "JSON"],
            path: "Tests/TestSupport"),
        .target(name: "TestServers", path: "Tests/TestServers"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"]),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "JSON"]),
        .testTarget(name: "SecretsTests", dependencies: ["Secrets"]),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "TestServers"]),
        .testTarget(
            name: "PatchbayTests", dependencies: ["Patchbay", "TestSupport", "Postgres", "TestServers"]),
        .testTarget(
            name: "PatchbayWebTests",
            dependencies: ["PatchbayWeb", "HTTPServer", "Patchbay", "TestSupport", "JSON", "JSONSchema"]),
    ],
    swiftLanguageModes: [.v6]
)
