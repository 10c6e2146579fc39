#!/usr/bin/env bash
# Install what is needed, then serve the app on http://localhost:8501 with the sample case open.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --system
export COMPLAINT_DEMO=${COMPLAINT_DEMO:-1}
exec .venv/bin/streamlit run app.py --server.address=localhost --server.port="${PORT:-8501}" \
  --browser.gatherUsageStats=false "$@"
