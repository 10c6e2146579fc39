"""A shared case file whose every text field is hostile (markdown image and link, HTML, ``:red[]``,
``$math$``, autolinks) is opened in a real browser and every page is shown (issue 20).  A local
listener stands for the sender's server: the test fails on any request to it, on any ``<img>`` or
``<a>`` pointing at it, on any coloured span or formula made from the file's text, and on any
request that leaves this machine."""

from __future__ import annotations

import http.server
import threading
from urllib.parse import urlparse

import pytest
from hostile_case import hostile_case_file

from .conftest import shot, start_server, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGES = ["Overview", "Import", "Reconcile", "Evidence", "Timeline", "Dossier", "Cases", "Analyst", "Guided help"]


class _Listener(http.server.ThreadingHTTPServer):
    hits: list[str]


def _listener() -> _Listener:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            self.server.hits.append(self.path)  # type: ignore[attr-defined]
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = _Listener(("127.0.0.1", 0), Handler)
    server.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# What the file's text must never become in the page: elements the app did not make.
_INJECTED = """(listener) => {
  const found = [];
  for (const el of document.querySelectorAll('img[src], a[href], image, source, iframe, link[href]')) {
    const url = el.getAttribute('src') || el.getAttribute('href') || el.getAttribute('xlink:href') || '';
    if (url.includes(listener) || url.includes('evil.example')) found.push(el.outerHTML.slice(0, 200));
  }
  for (const el of document.querySelectorAll('span[style*="color"], span[class*="Colored"], .katex, mjx-container')) {
    if (/red-t\\d+|red-case|red-note|x\\^?2/.test(el.textContent)) found.push(el.outerHTML.slice(0, 200));
  }
  for (const el of document.querySelectorAll('strong, b, em')) {
    if (el.textContent === 'bold') found.push(el.outerHTML.slice(0, 200));
  }
  return found;
}"""


def test_every_page_shows_a_hostile_case_file_as_plain_text(browser, tmp_path):
    listener = _listener()
    target = f"http://127.0.0.1:{listener.server_address[1]}"
    case_file = tmp_path / "shared.case.zip"
    case_file.write_bytes(hostile_case_file(target))
    proc, url = start_server(tmp_path)
    outside: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc not in
            {urlparse(url).netloc, ""} and not r.url.startswith(("data:", "blob:")) else None)
    problems: dict[str, list[str]] = {}
    try:
        page.goto(f"{url}/cases")
        wait_idle(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(case_file))
        wait_idle(page)
        page.get_by_role("button", name="Open this case file").click()
        wait_idle(page)
        page.wait_for_timeout(500)
        problems["toast"] = page.evaluate(_INJECTED, target)
        shot(page, "hostile-opened")
        nav = page.get_by_test_id("stSidebarNav")
        for title in PAGES:
            nav.get_by_role("link", name=title).first.click()
            wait_idle(page)
            for expander in page.locator("[data-testid='stExpander'] summary").all()[:40]:
                if expander.is_visible():
                    expander.click(timeout=5000)
            for tab in page.get_by_role("tab").all():
                tab.click()
                page.wait_for_timeout(150)
                problems.setdefault(title, []).extend(page.evaluate(_INJECTED, target))
            problems.setdefault(title, []).extend(page.evaluate(_INJECTED, target))
            assert page.get_by_test_id("stException").count() == 0, title
            shot(page, f"hostile-{title.lower().replace(' ', '-')}")
        page.wait_for_timeout(1000)
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=20)
        listener.shutdown()
    injected = {k: sorted(set(v)) for k, v in problems.items() if v}
    assert injected == {}, "\n".join(f"{k}: {x}" for k, v in injected.items() for x in v)
    assert listener.hits == [], f"the listener was reached: {listener.hits}"
    # nothing leaves the machine, the tab icon included (an emoji since issue 19)
    assert outside == [], f"requests that left the machine: {outside}"
