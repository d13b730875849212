"""Contract fuzzing: schemathesis drives every operation of /api/v1/openapi.json against the real binary.

A fresh workspace with an owner token (made with the CLI) is the caller. Every phase runs (the
documented examples, coverage of each schema's edges, random fuzzing, and stateful sequences that
follow the document's links: install a connector, then read, change, activate and delete it), with a
fixed seed and a bounded number of examples per operation. The checks: no 5xx, every status,
content type, header and body as documented, schema-violating input refused, 401 without the
token, 405 for undocumented methods, a deleted resource gone. The server's log must show no
unhandled error. The run's summary lands in the test output and test-artifacts/.
"""

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ARTIFACTS
from faults_support import new_tenant_token, record, start_extra_server, stop_server, unhandled_errors

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CONFIG = Path(__file__).parent / "schemathesis.toml"
SEED = 20261121
EXAMPLES = 30  # per operation and phase: about 1.5 minutes on a busy 2-core machine
CHECKS = [
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
    "missing_required_header", "unsupported_method", "use_after_free", "ensure_resource_availability",
    "ignored_auth",
]


def operation_count(base):
    with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=5) as response:
        document = json.loads(response.read())
    return sum(len(item) for item in document["paths"].values())


def summary(output):
    """('1597 generated, 1597 passed, 63 skipped', '3 warnings in 26.00s') from schemathesis' output."""
    cases = re.search(r"Test cases:\s*\n\s*(.+)", output)
    closing = re.findall(r"=+ (.+?) =+\s*$", output, re.MULTILINE)
    return (cases.group(1).strip() if cases else "?"), (closing[-1] if closing else "?")


def test_schemathesis_finds_no_server_error_and_no_contract_violation(server_env):
    _, token = new_tenant_token(server_env, role="owner")
    process, base, _, log = start_extra_server(server_env, "contract")
    try:
        operations = operation_count(base)
        started = time.monotonic()
        result = subprocess.run(
            [
                str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", base + "/api/v1/openapi.json",
                "--header", f"Authorization: Bearer {token}", "--seed", str(SEED),
                "--max-examples", str(EXAMPLES), "--checks", ",".join(CHECKS), "--workers", "1",
                "--generation-database", "none", "--request-timeout", "10", "--no-color",
            ],
            cwd=ARTIFACTS, capture_output=True, text=True, timeout=600,
        )
        seconds = time.monotonic() - started
        output = result.stdout + result.stderr
        (ARTIFACTS / "schemathesis.txt").write_text(output)
        cases, closing = summary(output)
        print(f"schemathesis: {cases}; {closing}")
        record("schemathesis", operations=operations, cases=f"'{cases}'", result=f"'{closing}'", seconds=f"{seconds:.0f}")
        assert result.returncode == 0, output[-6000:]
        selected = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", output)
        assert selected and len(set(selected.groups())) == 1, "every operation was selected and tested"
        # Schemathesis leaves out the document's own URL: every other operation is exercised.
        assert int(selected.group(3)) >= operations - 1, (selected.groups(), operations)
        assert re.search(r"\b0 passed\b", cases) is None and "failed" not in cases, cases
        assert process.poll() is None, "the server survived the run"
        assert not unhandled_errors(log), unhandled_errors(log)[:3]
    finally:
        assert stop_server(process) == 0
