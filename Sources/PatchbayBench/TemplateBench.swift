import Templating

/// Renders a catalog page of 50 connector cards (a layout with head and nav through inheritance,
/// a card partial per connector) and reports the mean time per render. `--dump` prints the page.
func runTemplateBench() {
    let library: TemplateLibrary
    do {
        library = try TemplateLibrary(templates: BenchTemplates.sources)
    } catch {
        print("templates: cannot compile the benchmark templates: \(error)")
        return
    }
    let page = BenchPage.sample(cardCount: 50)
    let value = page.templateValue

    var buffer: [UInt8] = []
    do {
        try library.render("pages/catalog", value, into: &buffer)
    } catch {
        print("templates: render failed: \(error)")
        return
    }
    let pageSize = buffer.count
    if CommandLine.arguments.contains("--dump") { print(String(decoding: buffer, as: UTF8.self)) }

    let clock = ContinuousClock()
    func measure(_ iterations: Int, _ body: () -> Void) -> Double {
        for _ in 0..<iterations / 10 { body() }  // warm-up
        let elapsed = clock.measure { for _ in 0..<iterations { body() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return seconds / Double(iterations) * 1e6
    }

    let reusedBuffer = measure(20_000) {
        buffer.removeAll(keepingCapacity: true)
        try? library.render("pages/catalog", value, into: &buffer)
    }
    let freshBuffer = measure(20_000) {
        _ = try? library.render("pages/catalog", value)
    }
    let withViewModel = measure(20_000) {
        buffer.removeAll(keepingCapacity: true)
        try? library.render("pages/catalog", page, into: &buffer)
    }

    print("templates: catalog page, 50 cards, \(pageSize) bytes")
    report("render into reused buffer", reusedBuffer)
    report("render into new buffer", freshBuffer)
    report("view models to value + render", withViewModel)
}

private func report(_ label: String, _ microseconds: Double) {
    let perSecond = Int((1e6 / microseconds).rounded())
    let mean = (microseconds * 10).rounded() / 10
    print("  \(label): \(mean) µs/render, \(perSecond) renders/s")
}

/// The view models of the benchmark page.
private struct BenchPage: TemplateRenderable {
    struct Connector: TemplateRenderable {
        var key: String
        var name: String
        var description: String
        var category: String
        var icon: String
        var status: String
        var isPlatform: Bool

        var templateValue: TemplateValue {
            [
                "key": .string(key), "name": .string(name), "description": .string(description),
                "category": .string(category), "icon": .string(icon), "status": .string(status),
                "isPlatform": .bool(isPlatform),
            ]
        }
    }

    var connectors: [Connector]

    var templateValue: TemplateValue {
        [
            "user": ["name": "Ada Lovelace"],
            "tenant": ["name": "Analytical Engines Ltd"],
            "nav": [
                ["href": "/features/connectors/catalog", "label": "Catalog", "active": true],
                ["href": "/features/connectors/installed", "label": "Installed", "active": false],
                ["href": "/settings", "label": "Settings", "active": false],
            ],
            "count": .int(connectors.count),
            "connectors": connectors.templateValue,
        ]
    }

    static func sample(cardCount: Int) -> BenchPage {
        let categories = ["CRM", "Databases", "Storage", "Messaging", "Custom HTTP"]
        let statuses = ["stable", "beta", "draft", "deprecated"]
        let connectors = (0..<cardCount).map { index in
            Connector(
                key: "connector-\(index)",
                name: "Connector \(index) <Pro>",
                description: "Syncs contacts & deals with the provider's REST API.",
                category: categories[index % categories.count],
                icon: "icon-\(index % 12)",
                status: statuses[index % statuses.count],
                isPlatform: index % 3 == 0)
        }
        return BenchPage(connectors: connectors)
    }
}

private enum BenchTemplates {
    static let sources: [String: String] = [
        "layouts/base": """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{$title}}Patchbay{{/title}}</title>
          <link rel="stylesheet" href="/css/app.css">
          <script src="/js/hx.js" defer></script>
        </head>
        <body>
          <nav class="topnav">
            <a class="brand" href="/">Patchbay</a>
            <ul>
              {{#nav}}
              <li><a href="{{href}}"{{#active}} aria-current="page"{{/active}}>{{label}}</a></li>
              {{/nav}}
            </ul>
            <span class="user">{{user.name}} · {{tenant.name}}</span>
          </nav>
          <main id="main">
            {{$content}}{{/content}}
          </main>
        </body>
        </html>

        """,
        "pages/catalog": """
        {{<layouts/base}}
        {{$title}}Catalog · Patchbay{{/title}}
        {{$content}}
        <h1>Connector catalog</h1>
        <p class="lead">{{count}} connectors available</p>
        <div class="grid">
          {{#connectors}}
          {{>partials/card}}
          {{/connectors}}
        </div>
        {{/content}}
        {{/layouts/base}}
        """,
        "partials/card": """
        <article class="card" id="card-{{key}}">
          <header>
            <img class="icon" src="/icons/{{icon}}.svg" alt="">
            <h2>{{name}}</h2>
            <span class="badge badge-{{status}}">{{status}}</span>
          </header>
          <p>{{description}}</p>
          <footer>
            <span class="category">{{category}}</span>
            {{#isPlatform}}<span class="tag">platform</span>{{/isPlatform}}
            <button class="btn" hx-post="/features/connectors/{{key}}/install" hx-target="#main">Install</button>
          </footer>
        </article>

        """,
    ]
}
