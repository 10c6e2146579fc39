#!/usr/bin/env bash
# Installs everything the app and the tests need, on a fresh Debian machine with Python 3.11.
# Idempotent: a second run only checks. Usage: scripts/setup.sh [--system]
set -euo pipefail
cd "$(dirname "$0")/.."
want_system=0
[ "${1:-}" = "--system" ] && want_system=1
# tesseract-ocr + language data: the text of screenshots (complaint.evidence.ocr); the fonts draw the
# OCR fixtures (bench/ocr_screens.py); strace and nginx-light: the hosted-security tests
apt_pkgs="chromium libimage-exiftool-perl poppler-utils fonts-dejavu-core postgresql strace nginx-light tesseract-ocr
  tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-deu fonts-liberation2 fonts-roboto-unhinted"
if [ "$want_system" = 1 ]; then
  missing=""
  for p in $apt_pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "setup: installing Debian packages:$missing" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
  fi
fi
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv" >&2
  .venv/bin/pip install -q --upgrade pip >&2
  .venv/bin/pip install -q -e ".[test]" >&2
  rm -f .venv/.installed-* && touch "$stamp"
fi
# the reconciliation's compiled kernels: built once here (about a minute after an install, under a
# second when numba's disk cache is already there), so neither a test nor a user waits on them
.venv/bin/python -m complaint.reconciliation.compiled.warmup >&2
