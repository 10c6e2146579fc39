"""A case file whose every free-text field is hostile: markdown image and link, raw HTML, a
Streamlit colour directive, LaTeX, an autolink-looking URL, all pointing at ``listener`` (a URL the
test watches).  Made from the sample case, so every page has something to show."""

from __future__ import annotations

import io
import json
import zipfile

from complaint import api

# the free-text fields of a case file (ids, dates, amounts, enums and hashes stay valid)
TEXT_FIELDS = {
    ("case", "name"), ("profile", "name"), ("profile", "address"),
    ("orders", "store"), ("orders", "status_text"), ("orders", "refund_reason"),
    ("orders", "items", "title"), ("orders", "items", "sku"),
    ("events", "title"), ("events", "body"),
    ("evidence", "file_name"), ("evidence", "camera_make"), ("evidence", "camera_model"), ("evidence", "software"),
    ("evidence", "note"),
    ("promises", "note"), ("annotations", "note"),
    ("transactions", "counterparty"), ("transactions", "description"), ("transactions", "communication"),
    ("source_files", "name"),
}


def payload(listener: str, tag: str) -> str:
    return (f"{tag} ![px]({listener}/img-{tag}.png) [click]({listener}/link-{tag}) "
            f"<img src=\"{listener}/html-{tag}.png\"> <a href=\"{listener}/a-{tag}\">a</a> "
            f":red[red-{tag}] :material/home: $x^{{2}}$ **bold** {listener}/auto-{tag} www.evil.example")


def _spoil(obj, path: tuple[str, ...], listener: str, counter: list[int]):
    if isinstance(obj, dict):
        return {k: _spoil(v, path + (k,), listener, counter) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_spoil(v, path, listener, counter) for v in obj]
    if isinstance(obj, str) and path in TEXT_FIELDS:
        counter[0] += 1
        return payload(listener, f"t{counter[0]}")
    return obj


def hostile_case_file(listener: str) -> bytes:
    store = api.open_store(":memory:")
    data = api.export_case(api.open_sample(store))
    src = zipfile.ZipFile(io.BytesIO(data))
    doc = json.loads(src.read("case.json"))
    doc = _spoil(doc, (), listener, [0])
    doc["case"]["name"] = payload(listener, "case")
    for ev in doc.get("evidence", []):
        ev.setdefault("note", payload(listener, "note"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("case.json", json.dumps(doc))
        for name in src.namelist():
            if name != "case.json":
                zf.writestr(name, src.read(name))
    return out.getvalue()
