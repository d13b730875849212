// Serves `/healthz` ("ok"), `POST /echo` and a static folder, for measuring the server with wrk:
//   HTTPBench [port] [folder] [workers]
// Stops cleanly on SIGTERM or SIGINT.
import HTTPServer

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
let folder = arguments.count > 2 ? arguments[2] : "Public"
let workers = arguments.count > 3 ? Int(arguments[3]) : nil

let router = Router(context: BasicRequestContext.self)
router.add(middleware: FileMiddleware(folder: folder, urlPrefix: "/static"))
router.get("/healthz") { _, _ in .text("ok") }
router.post("/echo") { request, _ in HTTPResponse(body: request.body) }

let server = HTTPServer(
    configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port, workers: workers),
    router: router)
try await server.runUntilShutdownSignal()
