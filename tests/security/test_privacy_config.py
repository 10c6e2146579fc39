"""No telemetry and no outside requests: the app's config, the deploy files, the exports."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_config_turns_usage_stats_off_and_keeps_safe_server_defaults():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    server = config["server"]
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert server.get("enableStaticServing", False) is False
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert not (ROOT / ".streamlit" / "secrets.toml").exists() or ".streamlit/secrets.toml" in (
        ROOT / ".gitignore").read_text()


def test_no_page_loads_anything_from_outside():
    sources = [p for d in ("app_pages", "ui") for p in (ROOT / d).glob("*.py")] + [ROOT / "app.py"]
    for path in sources:
        text = path.read_text()
        assert not re.search(r"components\.(html|iframe)\(|st\.html\(", text), path
        assert not re.search(r"unsafe_allow_html\s*=\s*True", text), f"{path}: unsafe_allow_html"
        assert not re.search(r"https?://(?!localhost|127\.0\.0\.1)[\w.-]+\.\w+/[\w/.-]*\.(js|css)", text), path


def test_requirements_pin_what_pyproject_needs():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    needed = {re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-")
              for d in pyproject["project"]["dependencies"]}
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    pinned = {re.split(r"[<>=\[ ;]", ln, maxsplit=1)[0].lower().replace("_", "-"): ln for ln in lines}
    assert needed <= set(pinned), needed - set(pinned)
    assert pinned["streamlit"] == "streamlit==1.67.0"
    assert "chromium" in (ROOT / "packages.txt").read_text().split()
