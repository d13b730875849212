#!/usr/bin/env bash
# Browser and end-to-end tests: a Python venv with Playwright and pytest driving Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/pytest ] || ! .venv/bin/python -c "import playwright" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check playwright pytest
fi
exec .venv/bin/pytest -q -p no:cacheprovider Tests/e2e "$@"
