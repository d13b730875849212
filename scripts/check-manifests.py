#!/usr/bin/env python3
"""Checks the connector catalog in Seeds/connectors/ before it is seeded.

Every manifest must validate against docs/manifest.schema.json, carry valid JSON Schema 2020-12
config/auth/action schemas, reference only fields that exist from its templates, mark secrets,
have an icon, and the catalog as a whole must cover the connectors the product promises.

Usage: scripts/check-manifests.py [--root DIR] [-q]
Exit status: 0 when clean, 1 when any problem was found, 2 when the checker could not run.
"""

import argparse
import json
import re
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import SchemaError
except ImportError:  # pragma: no cover - depends on the machine
    print("check-manifests: the python3 'jsonschema' package is required", file=sys.stderr)
    sys.exit(2)

# Connectors the catalog promises, by key.
REQUIRED_KEYS = [
    "twitter", "wordpress", "linkedin", "medium",
    "gmail", "slack", "stripe", "github", "zoom", "notion", "hubspot", "salesforce", "shopify",
    "twilio", "sendgrid", "mailchimp", "activecampaign", "jira", "discord",
    "postgresql", "mysql", "mongodb", "redis", "sqlite",
    "rest", "graphql", "soap",
    "s3", "gcs", "azure_blob", "minio",
    "kafka", "rabbitmq", "sqs", "redis_pubsub",
    "custom-http",
]
PUBLISHING_KEYS = ["twitter", "wordpress", "linkedin", "medium"]
MINIMUM_CONNECTORS = 100

# Names that hold secrets; in an auth schema they must be writeOnly + x-secret,
# in a config schema they must not appear at all.
SECRET_NAME = re.compile(
    r"(password|passwd|passphrase|secret|token|api_?key|private_key|credentials(_json)?"
    r"|connection_string|(^|_)key)$"
)
CONFIG_FORBIDDEN_NAME = re.compile(r"(password|secret|token|api_key|private_key)$")

# Fields each protocol probe reads: (scope, name) pairs that must exist.
PROBE_FIELDS = {
    "tcp": [("config", "host"), ("config", "port")],
    "postgresql": [("config", "host"), ("config", "port"), ("config", "database"),
                   ("config", "user"), ("auth", "password")],
    "mysql": [("config", "host"), ("config", "port"), ("config", "database"),
              ("config", "user"), ("auth", "password")],
    "mssql": [("config", "host"), ("config", "port"), ("config", "database"),
              ("config", "user"), ("auth", "password")],
    "oracle": [("config", "host"), ("config", "port"), ("config", "service_name"),
               ("config", "user"), ("auth", "password")],
    "mongodb": [("config", "host"), ("config", "database")],
    "redis": [("config", "host"), ("config", "port")],
    "sqlite": [("config", "path")],
    "cassandra": [("config", "contact_points"), ("config", "port"), ("config", "keyspace")],
    "snowflake": [("config", "account"), ("config", "user"), ("config", "warehouse")],
    "kafka": [("config", "bootstrap_servers")],
    "amqp": [("config", "host"), ("config", "port"), ("config", "vhost")],
    "nats": [("config", "servers")],
    "mqtt": [("config", "host"), ("config", "port")],
    "sftp": [("config", "host"), ("config", "port"), ("config", "user")],
    "ftp": [("config", "host"), ("config", "port"), ("config", "user")],
    "smtp": [("config", "host"), ("config", "port")],
    "s3": [("config", "bucket"), ("config", "region"), ("auth", "access_key_id"),
           ("auth", "secret_access_key")],
    "azure_blob": [("config", "account_name"), ("config", "container")],
    "configured_request": [("config", "url"), ("config", "method")],
}

TAG = re.compile(r"\{\{(\{?)\s*([#^/&]?)\s*([A-Za-z0-9_.\-]+)\s*\}?\}\}")
URL_LIKE_FORMATS = {"uri", "uri-reference", "hostname"}


class Report:
    """Collects problems per file so the summary can say where each one is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


def walk_properties(schema: dict, path: str = ""):
    """Yields (path, name, subschema, parent) for every property at any depth, oneOf branches too."""
    if not isinstance(schema, dict):
        return
    for name, sub in (schema.get("properties") or {}).items():
        here = f"{path}.{name}" if path else name
        yield here, name, sub, schema
        yield from walk_properties(sub, here)
        if isinstance(sub, dict) and isinstance(sub.get("items"), dict):
            yield from walk_properties(sub["items"], here + "[]")
    for keyword in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(keyword) or []:
            yield from walk_properties(branch, path)
    for keyword in ("then", "else"):
        if isinstance(schema.get(keyword), dict):
            yield from walk_properties(schema[keyword], path)


def top_level_fields(schema: dict) -> dict:
    """Top-level properties of an object schema, merged over its oneOf/anyOf/allOf branches."""
    fields = dict(schema.get("properties") or {})
    for keyword in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(keyword) or []:
            fields.update(branch.get("properties") or {})
    return fields


def check_schema_valid(report: Report, where: str, schema) -> bool:
    try:
        Draft202012Validator.check_schema(schema)
        return True
    except SchemaError as error:
        report.add(where, f"not a valid 2020-12 schema: {error.message}")
        return False


def check_form_schema(report: Report, where: str, schema: dict, role: str) -> None:
    """Titles, required names, defaults/examples, labels and secret markings of a form schema.

    role is "config", "auth" or "input" (an action's or trigger's input form).
    """
    if not check_schema_valid(report, where, schema):
        return
    if schema.get("type") != "object":
        report.add(where, 'root must be "type": "object"')
    check_required_names(report, where, schema)
    branches = schema.get("oneOf") or []
    for index, branch in enumerate(branches):
        bwhere = f"{where}.oneOf[{index}]"
        if "title" not in branch:
            report.add(bwhere, "each oneOf branch needs a title")
        consts = [n for n, s in (branch.get("properties") or {}).items() if "const" in s]
        if not consts:
            report.add(bwhere, "each oneOf branch needs a const discriminator property")
        check_required_names(report, bwhere, branch)
    for path, name, sub, parent in walk_properties(schema):
        pwhere = f"{where}.{path}"
        if not isinstance(sub, dict):
            report.add(pwhere, "property schema must be an object")
            continue
        if "title" not in sub and "const" not in sub:
            report.add(pwhere, "missing title")
        check_required_names(report, pwhere, sub)
        if isinstance(sub.get("items"), dict):
            check_required_names(report, pwhere + "[]", sub["items"])
        if "enumNames" in sub and len(sub["enumNames"]) != len(sub.get("enum", [])):
            report.add(pwhere, "enumNames must label every enum value")
        if "oneOf" in sub and all("const" in o for o in sub["oneOf"]):
            for option in sub["oneOf"]:
                if "title" not in option:
                    report.add(pwhere, f"option {option.get('const')!r} has no title")
        if "pattern" in sub:
            try:
                re.compile(sub["pattern"])
            except re.error as error:
                report.add(pwhere, f"pattern does not compile: {error}")
        validator = Draft202012Validator(sub, format_checker=FormatChecker())
        values = ([("default", sub["default"])] if "default" in sub else []) + [
            ("example", e) for e in sub.get("examples", [])
        ]
        for label, value in values:
            errors = list(validator.iter_errors(value))
            if errors:
                report.add(pwhere, f"{label} {value!r} is invalid: {errors[0].message}")
        looks_secret = bool(SECRET_NAME.search(name)) and "const" not in sub
        marked = sub.get("writeOnly") is True and sub.get("x-secret") is True
        if role == "auth" and looks_secret and not marked:
            report.add(pwhere, "secret-looking field must be writeOnly and x-secret")
        if role == "config" and CONFIG_FORBIDDEN_NAME.search(name):
            report.add(pwhere, "secret-looking field belongs in auth_schema, not config_schema")
        if role == "config" and (sub.get("x-secret") or sub.get("writeOnly")):
            report.add(pwhere, "secrets belong in auth_schema")


def check_required_names(report: Report, where: str, schema: dict) -> None:
    props = schema.get("properties")
    if props is None:
        return
    for name in schema.get("required") or []:
        if name not in props:
            report.add(where, f"required {name!r} is not a property")


def templates_in(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from templates_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from templates_in(item)


def check_templates(report: Report, where: str, value, scopes: dict, url: str | None = None):
    """Every {{scope.field}} must name a top-level field of that scope."""
    for text in templates_in(value):
        for triple, sigil, path in TAG.findall(text):
            if sigil == "/":
                continue
            root, _, rest = path.partition(".")
            if root not in scopes:
                report.add(where, f"template {{{{{path}}}}} uses unknown scope {root!r}")
                continue
            field = rest.split(".")[0]
            if field not in scopes[root]:
                report.add(where, f"template {{{{{path}}}}}: no {root} field {field!r}")
                continue
            sub = scopes[root][field]
            is_url = url is not None and text == url
            if is_url and not triple and sigil == "" and sub.get("format") in URL_LIKE_FORMATS:
                report.add(where, f"{{{{{path}}}}} would be percent-encoded; use {{{{{{{path}}}}}}}")


def check_request(report: Report, where: str, request: dict, scopes: dict) -> None:
    check_templates(report, where, request, scopes, url=request.get("url"))
    body = request.get("body")
    if request.get("body_type") in ("json", "form") and isinstance(body, str):
        if not re.fullmatch(r"\{\{\{?\s*[A-Za-z0-9_.]+\s*\}?\}\}", body):
            report.add(where, "a json/form body is a JSON value, or one whole {{template}}")


def rule_comment(schema: dict, schema_path) -> str | None:
    """The $comment of the innermost schema rule on the path, which says what the rule wants."""
    comment, node = None, schema
    for step in schema_path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "$comment" in node and "$ref" not in node:
            comment = node["$comment"]
    return comment


def check_manifest(report: Report, path: Path, manifest: dict, validator, root: Path) -> None:
    where = path.name
    for error in sorted(validator.iter_errors(manifest), key=lambda e: list(e.path)):
        location = "/".join(str(p) for p in error.absolute_path) or "(root)"
        message = error.message if len(error.message) < 160 else error.message[:157] + "..."
        rule = rule_comment(validator.schema, error.schema_path)
        if rule and error.validator == "not":
            message = rule
        elif rule:
            message = f"{message} [{rule}]"
        report.add(where, f"{location}: {message}")
    if not isinstance(manifest, dict):
        return
    key = manifest.get("key")
    if key != path.stem:
        report.add(where, f"key {key!r} must equal the file name {path.stem!r}")
    icon = manifest.get("icon")
    if icon != f"{key}.svg":
        report.add(where, f"icon must be {key}.svg")
    elif not (root / "Public" / "icons" / icon).is_file():
        report.add(where, f"icon Public/icons/{icon} does not exist")
    description = manifest.get("description", "")
    if not description.endswith("."):
        report.add(where, "description must be one sentence ending with a period")
    config = manifest.get("config_schema") or {}
    auth = manifest.get("auth_schema") or {}
    check_form_schema(report, f"{where}: config_schema", config, role="config")
    check_form_schema(report, f"{where}: auth_schema", auth, role="auth")
    if manifest.get("auth_type") != "none" and not top_level_fields(auth):
        report.add(where, "auth_type is not none but auth_schema has no fields")
    scopes = {"config": top_level_fields(config), "auth": top_level_fields(auth)}
    test = manifest.get("test")
    if isinstance(test, dict):
        if test.get("type") == "http" and isinstance(test.get("request"), dict):
            check_request(report, f"{where}: test", test["request"], scopes)
        for scope, field in PROBE_FIELDS.get(test.get("type"), []):
            if field not in scopes[scope]:
                report.add(where, f"{test['type']} test reads {scope}.{field}, which is missing")
    oauth = manifest.get("oauth")
    if isinstance(oauth, dict):
        check_templates(report, f"{where}: oauth", oauth, scopes)
        if manifest.get("auth_type") == "oauth":
            for field in ("client_id", "client_secret"):
                if field not in scopes["auth"]:
                    report.add(where, f"oauth connector's auth_schema lacks {field}")
    names = set()
    for kind in ("actions", "triggers"):
        for index, item in enumerate(manifest.get(kind) or []):
            iwhere = f"{where}: {kind}[{index}] {item.get('name')}"
            if item.get("name") in names:
                report.add(iwhere, "duplicate action/trigger name")
            names.add(item.get("name"))
            input_schema = item.get("input_schema") or {}
            check_form_schema(report, f"{iwhere} input_schema", input_schema, role="input")
            check_schema_valid(report, f"{iwhere} output_schema", item.get("output_schema"))
            if isinstance(item.get("request"), dict):
                action_scopes = dict(scopes, input=top_level_fields(input_schema))
                check_request(report, f"{iwhere} request", item["request"], action_scopes)
    publish = manifest.get("publish_action")
    if publish and publish not in {a.get("name") for a in manifest.get("actions") or []}:
        report.add(where, f"publish_action {publish!r} is not one of the actions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = parser.parse_args()
    root: Path = args.root
    schema_path = root / "docs" / "manifest.schema.json"
    try:
        meta = json.loads(schema_path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(meta)
    except (OSError, ValueError, SchemaError) as error:
        print(f"check-manifests: cannot use {schema_path}: {error}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(meta, format_checker=FormatChecker())
    report = Report()
    manifests: dict[str, dict] = {}
    files = sorted((root / "Seeds" / "connectors").glob("*.json"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            manifest = json.loads(text)
        except ValueError as error:
            report.add(path.name, f"not JSON: {error}")
            continue
        if json.dumps(manifest, indent=2, ensure_ascii=False) + "\n" != text:
            report.add(path.name, "not pretty-printed with 2-space indentation and a final newline")
        check_manifest(report, path, manifest, validator, root)
        key = manifest.get("key") if isinstance(manifest, dict) else None
        if key in manifests:
            report.add(path.name, f"duplicate key {key!r}")
        manifests[key] = manifest

    for key in REQUIRED_KEYS:
        if key not in manifests:
            report.add("catalog", f"required connector {key!r} is missing")
    for key in PUBLISHING_KEYS:
        if key in manifests and "publish" not in manifests[key].get("capabilities", []):
            report.add("catalog", f"{key} must have the publish capability")
    if len(manifests) < MINIMUM_CONNECTORS:
        report.add("catalog", f"{len(manifests)} connectors; at least {MINIMUM_CONNECTORS} expected")
    icons = {p.name for p in (root / "Public" / "icons").glob("*.svg")}
    for orphan in sorted(icons - {f"{k}.svg" for k in manifests}):
        report.add("catalog", f"Public/icons/{orphan} belongs to no connector")

    for problem in report.problems:
        print(problem)
    if not args.quiet:
        counts: dict[str, int] = {}
        for manifest in manifests.values():
            counts[manifest.get("status", "?")] = counts.get(manifest.get("status", "?"), 0) + 1
        kinds: dict[str, int] = {}
        for manifest in manifests.values():
            kinds[manifest.get("kind", "?")] = kinds.get(manifest.get("kind", "?"), 0) + 1
        actions = sum(len(m.get("actions") or []) for m in manifests.values())
        triggers = sum(len(m.get("triggers") or []) for m in manifests.values())
        tested = sum(1 for m in manifests.values() if "test" in m)
        print(
            f"{len(manifests)} manifests, {actions} actions, {triggers} triggers, {tested} with a test; "
            f"status {dict(sorted(counts.items()))}; kind {dict(sorted(kinds.items()))}"
        )
        print(f"{len(report.problems)} problem(s)" if report.problems else "catalog is clean")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
