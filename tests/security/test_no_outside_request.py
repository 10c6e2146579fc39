"""No request leaves the machine from the server either (issue 20): the dossier's chart image is
drawn by kaleido's Chromium on a page without MathJax, with plotly.js from the installed package,
and every request Chromium makes goes to a closed local port.

Two tests: the chart rendered with a local recording proxy in place of that port (the page asks
for nothing; kaleido's default page is the control and does ask for MathJax), and the CLI's
dossier export run with the network shut (``unshare -n``, root) under ``strace``: the chart is still
drawn by kaleido and no process tries to reach an address outside the machine."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from complaint import api
from complaint.timeline import render

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
# What a page of plotly/kaleido would fetch from elsewhere (scripts, fonts, maps).
PAGE_RESOURCES = re.compile(r"mathjax|cdnjs|cdn\.plot\.ly|jsdelivr|unpkg|fonts\.|topojson|mapbox", re.I)
needs_chromium = pytest.mark.skipif(render.find_browser() is None, reason="no Chromium (scripts/setup.sh)")


class RecordingProxy:
    """A local port that records the first line of every request and answers nothing."""

    def __init__(self):
        self.seen: list[str] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    self.seen.append(conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1"))
                except OSError:
                    pass


@pytest.fixture
def figure():
    return api.timeline_chart(api.open_sample(api.open_store(":memory:"))).figure


@needs_chromium
def test_the_chart_page_asks_for_nothing_and_kaleidos_default_page_is_caught(figure, monkeypatch):
    proxy = RecordingProxy()
    monkeypatch.setattr(render, "NO_PROXY", proxy.url)
    png = render.render_png(figure, engine="kaleido")
    assert png.engine == "kaleido" and png.data[:8] == b"\x89PNG\r\n\x1a\n", png.note
    ours = list(proxy.seen)
    assert not [r for r in ours if PAGE_RESOURCES.search(r)], ours

    # the control: kaleido's own page (MathJax on) through the same proxy asks for the CDN
    import kaleido

    proxy.seen.clear()
    kaleido.calc_fig_sync(figure.to_dict(), opts={"format": "png", "width": 600, "height": 400},
                          kopts={"proxy_server": proxy.url, "path": render.find_browser()})
    assert any("cdnjs.cloudflare.com" in r for r in proxy.seen), proxy.seen


def _outside(trace: str) -> list[str]:
    """connect()/sendto() calls to an address that is not this machine.  One is left out: the
    UDP connect Chromium makes to 2001:4860:4860::8888 to learn whether IPv6 is routed (a UDP
    connect sends no packet; with the network shut it fails with ENETUNREACH)."""
    out = []
    for line in trace.splitlines():
        if "AF_INET" not in line:
            continue
        if re.search(r'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"', line):
            continue
        if '"2001:4860:4860::8888"' in line and "htons(443)" in line:
            continue
        out.append(line)
    return out


@needs_chromium
@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("strace"),
                    reason="needs root, unshare and strace (scripts/setup.sh installs strace)")
def test_the_dossier_export_with_the_network_shut_makes_no_outside_attempt(tmp_path):
    db = tmp_path / "c.sqlite"
    env = {**os.environ, "COMPLAINT_DB": str(db)}
    subprocess.run([sys.executable, "-m", "complaint", "cases", "sample"], env=env, check=True, capture_output=True)
    trace = tmp_path / "trace.txt"
    script = (f"ip link set lo up && strace -f -qq -e trace=connect,sendto,sendmsg -o {trace} "
              f"{sys.executable} -m complaint dossier --case 'Sample case' --chart kaleido --out {tmp_path / 'out'}")
    done = subprocess.run(["unshare", "-n", "sh", "-c", script], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    pdf = tmp_path / "out" / "dossier.pdf"
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):  # the PDF says when the chart was not drawn by kaleido: it was
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "matplotlib" not in text and "No timeline image" not in text
    attempts = _outside(trace.read_text())
    assert attempts == [], "\n".join(attempts[:20])
