"""A closed session's data is freed when Streamlit drops the session (issue 20), checked through
Streamlit's own session manager: a real server (hosted mode, sample case in every session) runs
with a watcher thread that counts the case stores alive in the process; three browser tabs make
three stores; once the tabs are closed and Streamlit's disconnected-session TTL has passed (and
the reload window, set to 0 here), none of them is left.

Streamlit keeps a disconnected session in a TTL cache that expires entries when it is next written
to (the next session that disconnects): the test closes one more tab after the TTL, as the next
visitor would, and then only that last session's store may remain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT, _free_port, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WATCHED = """
import gc, json, sys, threading, time
def watch(path):
    while True:
        gc.collect()
        stores = sum(1 for o in gc.get_objects() if type(o).__name__ == "Store"
                     and type(o).__module__ == "complaint.store.db")
        with open(path + ".tmp", "w") as f:
            json.dump({"stores": stores}, f)
        import os; os.replace(path + ".tmp", path)
        time.sleep(0.5)
threading.Thread(target=watch, args=(sys.argv.pop(1),), daemon=True).start()
from streamlit.web.cli import main
sys.exit(main())
"""


def _stores(path) -> int:
    try:
        return json.loads(path.read_text())["stores"]
    except (OSError, ValueError):
        return -1


def test_closed_sessions_leave_no_case_store_behind(browser, tmp_path):
    port = _free_port()
    counts = tmp_path / "counts.json"
    env = {**os.environ, "COMPLAINT_HOSTED": "1", "COMPLAINT_DEMO": "1", "COMPLAINT_RESTORE_SECONDS": "0"}
    proc = subprocess.Popen([sys.executable, "-c", WATCHED, str(counts), "run", str(ROOT / "app.py"),
                             "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
                             "--server.disconnectedSessionTTL=2", "--server.fileWatcherType=none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded machine starts the server slowly
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        contexts = []
        for _ in range(3):
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(url + "/")
            wait_idle(page)
            contexts.append(ctx)
        time.sleep(1.5)
        assert _stores(counts) >= 3
        for ctx in contexts:
            ctx.close()
        time.sleep(4)  # past the disconnected-session TTL (2 s)
        ctx = browser.new_context()  # the next visitor comes and goes
        page = ctx.new_page()
        page.goto(url + "/")
        wait_idle(page)
        ctx.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _stores(counts) > 1:
            time.sleep(0.5)
        assert _stores(counts) <= 1, "a dropped session's case store is still alive"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
