"""Order exports in the account's language (issue 18): the per-item exporter CSV and its JSON backup,
dates and statuses of eight languages (hypothesis properties), computed totals, merging one order
seen in two exports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint.case import merge_orders
from complaint.importers.base import import_file
from complaint.importers.orders.status import STATUS_TABLES, normalise_status
from complaint.importers.textdates import CONFLICTS, LANGUAGES, parse_text_date
from complaint.importers.textio import Source
from complaint.importers.values import parse_date
from complaint.records import OrderStatus

DATA = Path(__file__).parent / "data" / "orders"
CSV = DATA / "aliexpress_orders_exporter_csv"
JSON = DATA / "aliexpress_orders_exporter_json"

# The date layouts the AliExpress order list uses per language (CLDR patterns).
PATTERNS = {
    "en": ("MMM d, y", "MMMM d, y", "d MMM y"),
    "fr": ("d MMM y", "d MMMM y"),
    "nl": ("d MMM y", "d MMMM y"),
    "de": ("d. MMM y", "d. MMMM y", "d MMM y"),
    "es": ("d 'de' MMM 'de' y", "d MMM y", "d 'de' MMMM 'de' y"),
    "it": ("d MMM y", "d MMMM y"),
    "pl": ("d MMM y", "d MMMM y"),
    "pt": ("d 'de' MMM 'de' y", "d 'de' MMMM 'de' y"),
}


def _orders(path: Path) -> dict:
    r = import_file(Source(path.name, path.read_bytes()))
    assert r.rows_total == r.rows_imported + len(r.rejected) + len(r.skipped)
    return {o.order_id: o for o in r.records}, r


def test_no_month_word_means_two_months():
    assert CONFLICTS == {}


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date(2010, 1, 1), max_value=date(2035, 12, 31)), lang=st.sampled_from(LANGUAGES),
       data=st.data())
def test_every_language_date_reads_back(day, lang, data):
    pattern = data.draw(st.sampled_from(PATTERNS[lang]))
    text = format_date(day, pattern, locale=lang)
    assert parse_text_date(text) == day, text
    assert parse_date(text) == day
    assert parse_date(text.upper()) == day
    assert parse_date(f"{text}, 10:42") == day


@settings(max_examples=300, deadline=None)
@given(lang=st.sampled_from(sorted(STATUS_TABLES)), data=st.data())
def test_every_status_word_maps_through_its_language_table(lang, data):
    status = data.draw(st.sampled_from(sorted(STATUS_TABLES[lang], key=lambda s: s.value)))
    word = data.draw(st.sampled_from(STATUS_TABLES[lang][status]))
    assert normalise_status(word) == status
    spaced = data.draw(st.sampled_from([word.upper(), f"  {word.title()} ", word.replace(" ", "  ")]))
    assert normalise_status(spaced) == status


def test_issue_examples_of_dates_and_statuses():
    for text in ("3. Aug 2025", "3 août 2025", "3 aug. 2025", "Aug 3, 2025", "3 de ago. de 2025"):
        assert parse_date(text) == date(2025, 8, 3), text
    assert parse_date("28. Mai 2020") == date(2020, 5, 28)
    assert [parse_date(f"1 {m} 2024").month for m in ("Dez", "Mär", "Okt")] == [12, 3, 10]
    expected = {"Abgeschlossen": OrderStatus.COMPLETED, "Terminée": OrderStatus.COMPLETED,
                "Voltooid": OrderStatus.COMPLETED, "Completada": OrderStatus.COMPLETED,
                "Closed": OrderStatus.CANCELLED, "Annulée": OrderStatus.CANCELLED,
                "Zakończone": OrderStatus.COMPLETED, "Concluído": OrderStatus.COMPLETED,
                "Annullato": OrderStatus.CANCELLED}
    assert {k: normalise_status(k) for k in expected} == expected


def test_exporter_csv_totals_currencies_and_rows():
    orders, r = _orders(CSV / "orders_de.csv")
    assert (r.rows_total, r.rows_imported, len(r.rejected)) == (6, 5, 1)
    assert r.rejected[0].field == "Order date"
    first = orders["8190000000000001"]
    assert (first.total, first.currency, len(first.items), first.status) == (
        Decimal("9.97"), "EUR", 2, OrderStatus.COMPLETED)
    assert sum(i.total for i in first.items) == Decimal("9.97")
    computed = orders["8190000000000002"]
    assert computed.total == Decimal("13.70")  # 12.50 x 1 + 1.20 shipping
    assert [w.field for w in r.warnings] == ["Total price"] and "8190000000000002" in str(r.warnings[0])
    assert orders["8190000000000005"].currency == "PLN"
    mixed, r2 = _orders(CSV / "orders_mixed_languages.csv")
    assert {o.currency for o in mixed.values()} == {"USD", "EUR", "CHF", "GBP", "PLN"}
    assert mixed["8190000000000011"].total == Decimal("1382.11")
    assert mixed["8190000000000014"].total == Decimal("7.50")  # 3 x 2.00 + 1.50
    assert {o.order_date for o in mixed.values()} == {date(2025, 8, 3)}


def test_exporter_json_backup_and_the_csv_merge_item_by_item():
    from_json, r = _orders(JSON / "orders_backup_fr.json")
    assert (r.rows_total, r.rows_imported, len(r.rejected)) == (4, 3, 1)
    assert from_json["8190000000000021"].total == Decimal("10.00")
    assert from_json["8190000000000021"].order_date == date(2023, 11, 14)  # from the epoch-ms field
    from_csv, _r = _orders(CSV / "orders_de.csv")
    merged, _events = merge_orders(list(from_csv.values()), from_json.values())
    order = {o.order_id: o for o in merged}["8190000000000001"]
    assert len(order.items) == 2


def test_an_order_in_two_different_exports_holds_its_items_once():
    shopper = (b"Order Date,Order ID,Title,Qty,Price,Store,Product ID,SKU ID,Attributes,Price Info,Currency,Status,"
               b"Product Url,Product Image Url,Store Url,Tags\n"
               b'"2025-08-03",8190000000000001,"USB-C Kabel 2 m",2,"\xe2\x82\xac3,49","Mini Tools Store",'
               b'"1005001111111111","12000000000000001","Farbe: Schwarz","",EUR,Completed,'
               b"https://www.aliexpress.com/item/1005001111111111.html,,,\n")
    first = import_file(Source("shopper.csv", shopper)).records
    second = import_file(Source("orders_de.csv", (CSV / "orders_de.csv").read_bytes())).records
    for a, b in ((first, second), (second, first)):
        merged, _events = merge_orders(list(a), b)
        order = {o.order_id: o for o in merged}["8190000000000001"]
        assert sorted(i.title for i in order.items) == ["Lötspitze", "USB-C Kabel 2 m"]
        again, _events = merge_orders(merged, b)
        assert len({o.order_id: o for o in again}["8190000000000001"].items) == 2


HEADERS = {
    "de": ["Bestellnummer", "Bestelldatum", "Bestellstatus", "Artikelname", "Preis", "Menge", "Währung", "Geschäft"],
    "es": ["Número de pedido", "Fecha del pedido", "Estado", "Producto", "Precio", "Cantidad", "Moneda", "Tienda"],
    "it": ["Numero ordine", "Data ordine", "Stato", "Prodotto", "Prezzo", "Quantità", "Valuta", "Negozio"],
    "pl": ["Numer zamówienia", "Data zamówienia", "Status", "Nazwa produktu", "Cena", "Ilość", "Waluta", "Sklep"],
    "pt": ["Número do pedido", "Data do pedido", "Estado do pedido", "Nome do produto", "Preço", "Quantidade",
           "Moeda", "Loja"],
}


def test_unknown_exporter_columns_are_guessed_by_role_in_each_language():
    from complaint.importers.mapping import propose_mapping

    roles = ["order_id", "order_date", "status", "title", "unit_price", "quantity", "currency", "store"]
    for lang, header in HEADERS.items():
        mapping = propose_mapping(header, "orders")
        assert mapping.missing() == [], lang
        assert [mapping.columns.get(r) for r in roles] == header, lang


def test_a_mapped_unknown_export_reads_words_of_its_language():
    import complaint

    text = ("Bestellnummer;Bestelldatum;Bestellstatus;Artikelname;Preis;Menge;Währung\n"
            "8190000000000031;3. Aug 2025;Abgeschlossen;Kabel;3,49;2;EUR\n"
            "8190000000000032;28. Mai 2020;Storniert;Lampe;12,50;1;EUR\n").encode()
    proposal = complaint.propose_mapping(text, "orders", name="unbekannt.csv")
    report = complaint.read_file(text, kind="orders", name="unbekannt.csv", mapping=proposal.mapping)
    orders = {o.order_id: o for o in report.result.records}
    assert orders["8190000000000031"].order_date == date(2025, 8, 3)
    assert orders["8190000000000031"].status == OrderStatus.COMPLETED
    assert orders["8190000000000032"].status == OrderStatus.CANCELLED


def test_exporter_item_rows_under_their_order_row_and_semicolons():
    head = "Order Id;Order date;Order Status;Store Name;Currency;Item title;Item price;Item quantity;Total price\n"
    text = (head + "8190000000000041;3 août 2025;Terminée;Boutique;€;Câble;3,49 €;2;9,97 €\n"
            + ";;;;;Lampe;2,99 €;1;\n")
    r = import_file(Source("export.csv", text.encode("utf-8-sig")))
    assert r.importer == "orders.aliexpress_orders_exporter_csv"
    assert (r.rows_total, r.rows_imported, r.rejected, r.warnings) == (2, 2, (), ())
    [order] = r.records
    assert (order.order_date, order.status, order.currency, order.total) == (
        date(2025, 8, 3), OrderStatus.COMPLETED, "EUR", Decimal("9.97"))
    assert [(i.title, i.unit_price, i.quantity) for i in order.items] == [
        ("Câble", Decimal("3.49"), 2), ("Lampe", Decimal("2.99"), 1)]


def test_exporter_json_wrapped_in_an_object_with_price_and_qty_keys():
    import json

    data = {"orders": [{"orderId": "8190000000000051", "orderDate": "3 ago 2025", "status": "Completato",
                        "currency": "EUR", "items": [{"title": "Cavo", "priceAmount": "1,50", "qty": 2}],
                        "priceData": {"total": None, "shipping": "0,50"}}]}
    r = import_file(Source("backup.json", json.dumps(data).encode()))
    assert r.importer == "orders.aliexpress_orders_exporter_json"
    [order] = r.records
    assert (order.total, order.status, order.order_date) == (Decimal("3.50"), OrderStatus.COMPLETED, date(2025, 8, 3))
    assert [w.field for w in r.warnings] == ["priceData.total"]
