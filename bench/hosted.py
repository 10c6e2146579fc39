"""Benchmark of the hosted app (issue 20): server memory per session, fair sharing, the lying ZIP.

    .venv/bin/python bench/hosted.py                 # everything below
    .venv/bin/python bench/hosted.py --only memory   # or: fair, zip

Each part starts a real ``streamlit run app.py`` with ``COMPLAINT_HOSTED=1`` and drives it with
Debian's Chromium (Playwright), as visitors would.  Figures are the server process's RSS
(``/proc/PID/status``: VmRSS now, VmHWM the peak).

* memory: the server after start (the baseline), with 1 session on the sample case
  (``COMPLAINT_DEMO=1`` opens it in each session), then 6 and 24 idle sessions; then every tab is
  closed and, after Streamlit drops the sessions (``server.disconnectedSessionTTL``, set to 5 s
  here) and the restore window (``COMPLAINT_RESTORE_SECONDS``, 5 s here), the RSS again.
  Targets: one session < 300 MB; each further idle session < 5 MB.
* fair: visitor B loads the Overview while visitor A's browser uploads and reads a 2,000,000-row
  bank CSV (just under 50 MB); B's page load against B's page load on an idle server (the
  baseline, same run).  Target: < 2 s.  Also the time to refuse a 3,000,000-row CSV (over the size
  limit) through ``complaint.api.read_file``.
* zip: the lying ZIP (directory 100 B, 1.1 GB inflated) uploaded as evidence and as a case file;
  the server's peak RSS.  Target: < 400 MB.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking"]
MB = 1024 * 1024


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(tmp: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp / f"server-{port}.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless=true",
                             f"--server.port={port}", "--server.address=127.0.0.1",
                             "--server.disconnectedSessionTTL=5"],
                            cwd=ROOT, env={**os.environ, "COMPLAINT_HOSTED": "1", **env}, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def idle(page, timeout: float = 120_000) -> None:
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached",
                                                                                         timeout=timeout)
    page.wait_for_timeout(200)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached",
                                                                                       timeout=timeout)


def bench_memory(browser, tmp: Path) -> None:
    proc, url = start(tmp, {"COMPLAINT_DEMO": "1", "COMPLAINT_RESTORE_SECONDS": "5"})
    try:
        time.sleep(2)
        base = rss_mb(proc.pid)
        print(f"memory: server started: {base:.0f} MB RSS")
        pages, figures = [], {}
        for target in (1, 6, 24):
            while len(pages) < target:
                page = browser.new_context().new_page()
                page.goto(url + "/")
                idle(page)
                pages.append(page)
            time.sleep(3)
            figures[target] = rss_mb(proc.pid)
            print(f"memory: {target:2d} session(s) on the sample case: {figures[target]:.0f} MB RSS")
        per_session = (figures[24] - figures[1]) / 23
        print(f"memory: each further idle session: {(figures[6] - figures[1]) / 5:.1f} MB (1->6), "
              f"{per_session:.1f} MB (1->24); target < 5 MB")
        print(f"memory: one session: {figures[1]:.0f} MB, target < 300 MB -> {'ok' if figures[1] < 300 else 'MISSED'}")
        for page in pages:
            page.context.close()
        time.sleep(15)  # past the disconnected-session TTL and the restore window
        urllib.request.urlopen(url + "/_stcore/health", timeout=5).read()
        print(f"memory: every tab closed, sessions dropped: {rss_mb(proc.pid):.0f} MB RSS "
              f"(peak {rss_mb(proc.pid, 'VmHWM'):.0f} MB)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bank_csv(rows: int) -> bytes:
    """A KBC-like CSV of ``rows`` movements, about 24 bytes a row."""
    head = b"Datum;Bedrag;Omschrijving\n"
    body = b"".join(b"%02d/%02d/2026;-%d,%02d;X%d\n" % (1 + i % 28, 1 + i % 12, i % 90, i % 100, i % 997)
                    for i in range(rows))
    return head + body


def page_load(browser, url: str) -> float:
    page = browser.new_context().new_page()
    t = time.perf_counter()
    page.goto(url + "/")
    idle(page)
    took = time.perf_counter() - t
    page.context.close()
    return took


def bench_fair(browser, tmp: Path) -> None:
    big = tmp / "big_statement.csv"
    big.write_bytes(bank_csv(2_000_000))
    print(f"fair: 2,000,000-row CSV: {big.stat().st_size / MB:.1f} MB")
    proc, url = start(tmp, {"COMPLAINT_DEMO": "1"})
    try:
        page_load(browser, url)  # warm: first script run imports the app
        alone = min(page_load(browser, url) for _ in range(3))
        a = browser.new_context().new_page()
        a.goto(url + "/import")
        idle(a)
        a.get_by_role("tab", name="Bank and PayPal statements").click()
        a.locator("[data-testid='stFileUploaderDropzoneInput']").last.set_input_files(str(big))
        time.sleep(1.0)  # the upload is in; A's session is reading the file
        during = [page_load(browser, url) for _ in range(3)]
        idle(a)
        print(f"fair: B's page load alone {alone:.2f} s; during A's 2M-row import "
              f"{', '.join(f'{d:.2f}' for d in during)} s (worst {max(during) / alone:.1f}x); target < 2 s -> "
              f"{'ok' if max(during) < 2 else 'MISSED'}")
        print(f"fair: server peak RSS {rss_mb(proc.pid, 'VmHWM'):.0f} MB")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    huge = tmp / "huge.csv"
    huge.write_bytes(bank_csv(3_000_000))
    probe = ("import time, sys\nfrom complaint import api\nfrom complaint.errors import LimitExceeded\n"
             "t = time.perf_counter()\ntry:\n    api.read_file(sys.argv[1], 'bank')\nexcept LimitExceeded as e:\n"
             "    print(f'{time.perf_counter() - t:.3f}', e)\n")
    out = subprocess.run([sys.executable, "-c", probe, str(huge)], capture_output=True, text=True, cwd=ROOT).stdout
    print(f"fair: a 3,000,000-row CSV ({huge.stat().st_size / MB:.0f} MB) refused in {out.split()[0]} s: "
          f"{' '.join(out.split()[1:])[:120]}")


def lying_zip(name: str, real: int = 1100 * MB) -> bytes:
    import io
    import struct
    import zipfile

    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = b"".join(comp.compress(b"\0" * MB) for _ in range(real // MB)) + comp.flush()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, b"\0" * 100)
    fname = name.encode()
    crc = zlib.crc32(b"\0" * 100)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(raw), 100, len(fname), 0) + fname
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(raw), 100, len(fname),
                          0, 0, 0, 0, 0, 0) + fname
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(raw), 0)
    return local + raw + central + end


def bench_zip(browser, tmp: Path) -> None:
    (tmp / "lying.zip").write_bytes(lying_zip("IMG_1.jpg"))
    (tmp / "lying.case.zip").write_bytes(lying_zip("case.json"))
    proc, url = start(tmp, {})
    try:
        page = browser.new_context().new_page()
        page.goto(url + "/cases")
        idle(page)
        base = rss_mb(proc.pid)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(tmp / "lying.case.zip"))
        idle(page)
        page.get_by_role("button", name="Open this case file").click()
        idle(page)
        refused = page.get_by_test_id("stAlertContentError").inner_text()
        page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Open the sample case").click()
        idle(page)
        page.goto(url + "/evidence")
        idle(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(tmp / "lying.zip"))
        page.get_by_role("button", name="Add to the case").click()
        idle(page)
        refused2 = page.get_by_test_id("stAlertContentError").inner_text()
        print(f"zip: case file refused: {refused[:110]}")
        print(f"zip: evidence refused: {refused2[:110]}")
        peak = rss_mb(proc.pid, "VmHWM")
        print(f"zip: server RSS before {base:.0f} MB, peak {peak:.0f} MB; target < 400 MB -> "
              f"{'ok' if peak < 400 else 'MISSED'}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["memory", "fair", "zip"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for name, run in (("zip", bench_zip), ("memory", bench_memory), ("fair", bench_fair)):
            if args.only in (None, name):
                run(browser, Path(d))
        browser.close()


if __name__ == "__main__":
    main()
