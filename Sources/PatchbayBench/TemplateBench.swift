func runTemplateBench() { print("templates: no benchmark yet") }
