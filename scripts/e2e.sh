#!/usr/bin/env bash
# Browser and end-to-end tests: a Python venv with Playwright and pytest driving Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/pytest ] || ! .venv/bin/python -c "import playwright, schemathesis" 2>/dev/null; then
  python3 -m venv .venv
  # schemathesis is pinned: its checks and the summary the contract test reads change between releases.
  .venv/bin/pip install --quiet --disable-pip-version-check playwright pytest schemathesis==4.32.5
fi
exec .venv/bin/pytest -q -p no:cacheprovider Tests/e2e "$@"
