#!/usr/bin/env bash
# Install what is needed, then run the whole test suite (unit, AppTest, CLI, notebook, browser e2e).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --system || exit 1
mkdir -p test-artifacts
export COMPLAINT_FUZZ_EXAMPLES=${COMPLAINT_FUZZ_EXAMPLES:-2000}
.venv/bin/python -m pytest -n 2 --dist loadfile -p no:cacheprovider "$@"
rc=$?
# pytest exits 5 when it collected no test: that is a failure of the suite, not a pass.
if [ "$rc" = 5 ]; then echo "no tests ran" >&2; exit 1; fi
exit $rc
