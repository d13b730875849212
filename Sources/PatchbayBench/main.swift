// Micro-benchmarks run by `make bench` in release mode. Each area lives in its own file.
let filter = CommandLine.arguments.dropFirst().first
if filter == nil || filter == "templates" { runTemplateBench() }
if filter == nil || filter == "schema" { runSchemaBench() }
