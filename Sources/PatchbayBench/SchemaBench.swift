func runSchemaBench() { print("schema: no benchmark yet") }
