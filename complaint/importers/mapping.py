"""Column mapping for files no importer knows: propose from header names, let the user correct.

:func:`propose_mapping` matches header cells against synonyms of each target field (orders: English,
French, Dutch, German, Spanish, Italian, Polish and Portuguese, the languages exporters copy from
the AliExpress site; bank: English, French, Dutch and German) and gives a confidence per field (1.0 exact synonym, 0.7 when the synonym appears
as words inside the header, lower for names that mean different things in different banks, such
as Dutch ``Valuta``: value date at KBC, currency at Crelan).  Each column feeds one field at
most: the best scores are assigned first.

A :class:`Mapping` is saved as a :class:`records.MappingProfile` (JSON through
``complaint.serialize``), so a user maps a bank's layout once and reuses it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ComplaintError
from ..i18n import N_, _
from ..records import MappingProfile
from ..serialize import dumps, from_dict

KINDS = ("orders", "bank")

# field -> synonyms (folded: lower case, no accents, punctuation as spaces); a trailing "~0.6"
# gives a synonym a lower weight.
ORDER_FIELDS: dict[str, tuple[str, ...]] = {
    "order_id": ("bestellnummer", "auftragsnummer", "numero de pedido", "n de pedido", "id del pedido", "pedido", "numero ordine", "id ordine", "ordine", "numer zamowienia", "id zamowienia", "zamowienie", "numero do pedido", "id do pedido", "order id", "order number", "order no", "order nr", "orderid", "order", "parent orderid",
                 "numero de commande", "n de commande", "no de commande", "commande", "id commande",
                 "ordernummer", "bestelnummer", "bestelling", "order nummer", "bestel id"),
    "order_date": ("bestelldatum", "datum der bestellung", "fecha del pedido", "fecha de pedido", "fecha", "data ordine", "data dell ordine", "data", "data zamowienia", "data do pedido", "order date", "date", "placed on", "ordered on", "purchase date", "created",
                   "date de commande", "date commande", "date d achat", "besteldatum", "orderdatum", "datum",
                   "aankoopdatum"),
    "title": ("item title", "produktname", "artikelname", "titel", "producto", "titulo", "nombre del producto", "prodotto", "titolo", "nome prodotto", "produkt", "nazwa produktu", "tytul", "nome do produto", "title", "product", "product title", "product name", "item", "item name", "article", "titre",
              "produit", "nom du produit", "artikel", "productnaam", "omschrijving~0.6", "description~0.6"),
    "quantity": ("item quantity", "menge", "anzahl", "cantidad", "quantita", "ilosc", "quantidade", "qty", "quantity", "quantite", "qte", "nombre", "aantal", "hoeveelheid", "stuks"),
    "unit_price": ("item price", "preis", "einzelpreis", "precio", "precio unitario", "prezzo", "prezzo unitario", "cena", "cena jednostkowa", "preco", "preco unitario", "price", "unit price", "item price", "prix", "prix unitaire", "prijs", "eenheidsprijs",
                   "stukprijs"),
    "total": ("total price", "gesamtpreis", "gesamtbetrag", "summe", "precio total", "importe total", "totale", "importo totale", "suma", "razem", "kwota", "preco total", "valor total", "total", "order total", "total amount", "amount", "order amount", "total order amount",
              "montant", "total commande", "montant total", "totaal", "bedrag", "totaalbedrag", "orderbedrag"),
    "currency": ("wahrung", "moneda", "divisa", "valuta", "waluta", "moeda", "currency", "devise", "monnaie", "munt", "valuta", "currency code"),
    "status": ("bestellstatus", "estado", "estado del pedido", "stato", "stato dell ordine", "status zamowienia", "estado do pedido", "situacao", "status", "order status", "statut", "etat", "statut de la commande", "bestelstatus",
               "orderstatus", "state"),
    "store": ("store name", "shop name", "geschaft", "verkaufer", "tienda", "vendedor", "negozio", "venditore", "sklep", "sprzedawca", "loja", "store", "store name", "shop", "seller", "vendor", "boutique", "vendeur", "magasin", "winkel",
              "verkoper", "webshop"),
    "shipping": ("total shipping", "versandkosten", "versand", "envio", "gastos de envio", "spedizione", "costi di spedizione", "wysylka", "koszt wysylki", "frete", "shipping", "shipping cost", "delivery", "frais de port", "frais de livraison", "livraison",
                 "verzendkosten", "verzending"),
    "paid_amount": ("paid", "amount paid", "paid amount", "paye", "montant paye", "betaald",
                    "betaald bedrag"),
    "tracking_number": ("sendungsnummer", "sendungsverfolgung", "numero de seguimiento", "seguimiento", "numero di tracciamento", "tracciamento", "numer przesylki", "numero de rastreamento", "rastreamento", "tracking number", "tracking", "tracking no", "numero de suivi", "suivi",
                        "track trace", "trackingnummer", "zendingnummer"),
    "line_id": ("sku", "sku id", "line id", "item id", "reference article", "artikelnummer"),
}

BANK_FIELDS: dict[str, tuple[str, ...]] = {
    "booking_date": ("buchungsdatum", "buchungstag", "date", "booking date", "transaction date", "posting date", "execution date",
                     "date comptable", "date de comptabilisation", "date d execution", "date operation",
                     "date de l operation", "date de la transaction", "boekdatum", "boekingsdatum",
                     "uitvoeringsdatum", "verrichtingsdatum", "datum verrichting", "datum"),
    "value_date": ("wertstellung", "value date", "date valeur", "date de valeur", "valutadatum", "valuta~0.55",
                   "rentedatum"),
    "amount": ("betrag", "betrag eur", "umsatz", "amount", "amount eur", "transaction amount", "montant", "montant eur", "montant de l operation",
               "bedrag", "bedrag eur", "bedrag v d verrichting", "bedrag verrichting"),
    "debit": ("soll", "debit", "debet", "debit amount", "uitgaven", "depenses", "af", "money out", "withdrawal"),
    "credit": ("haben", "credit", "credit amount", "inkomsten", "recettes", "bij", "money in", "deposit"),
    "currency": ("currency", "devise", "munt", "monnaie", "valuta~0.6", "currency code", "wahrung"),
    "counterparty": ("empfanger", "auftraggeber", "gegenpartei", "counterparty", "counterparty name", "name~0.8", "payee", "beneficiary", "naam tegenpartij",
                     "tegenpartij", "naam~0.8", "begunstigde", "nom de la contrepartie", "contrepartie", "nom~0.8",
                     "beneficiaire", "naam v d tegenpartij", "nom contrepartie"),
    "counterparty_account": ("counterparty account", "counterparty iban", "counterparty s account number",
                             "rekening tegenpartij", "rekeningnummer tegenpartij", "iban tegenpartij",
                             "compte de la contrepartie", "compte contrepartie", "compte de contrepartie"),
    "description": ("description", "details", "transaction details", "omschrijving", "beschrijving", "libelle",
                    "details de l operation", "detail", "type", "type verrichting~0.6"),
    "communication": ("verwendungszweck", "communication", "message", "remittance information", "mededeling", "vrije mededeling",
                      "gestructureerde mededeling", "communication 1", "mededeling 1", "free format reference",
                      "structured reference"),
    "bank_reference": ("reference", "bank reference", "transaction id", "reference de l operation", "referentie",
                       "ref", "ref v d verrichting", "volgnummer", "n de sequence", "numero de sequence",
                       "extrait", "afschrift", "statement number", "transaction number"),
    "account": ("kontonummer", "konto", "account", "account number", "iban", "rekening", "rekeningnummer", "compte", "numero de compte",
                "mijn rekening", "mon compte"),
}

REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    # every inner tuple: at least one of these must be mapped
    "orders": (("order_id",), ("order_date",)),
    "bank": (("booking_date",), ("amount", "debit", "credit")),
}

FIELD_LABELS: dict[str, str] = {
    "order_id": N_("order id"), "order_date": N_("order date"), "title": N_("product title"),
    "quantity": N_("quantity"), "unit_price": N_("unit price"), "total": N_("order total"),
    "currency": N_("currency"), "status": N_("status"), "store": N_("store"), "shipping": N_("shipping"),
    "paid_amount": N_("amount paid"), "tracking_number": N_("tracking number"), "line_id": N_("item / SKU id"),
    "booking_date": N_("booking date"), "value_date": N_("value date"), "amount": N_("amount (signed)"),
    "debit": N_("debit (money out)"), "credit": N_("credit (money in)"), "counterparty": N_("counterparty"),
    "counterparty_account": N_("counterparty account"), "description": N_("description"),
    "communication": N_("communication"), "bank_reference": N_("bank reference"), "account": N_("own account"),
}

# options understood by extract_mapped (all strings, so a profile stays flat JSON)
OPTION_KEYS = ("date_format", "dayfirst", "decimal", "encoding", "delimiter", "sheet", "currency")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().replace("ł", "l")
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def fields_for(kind: str) -> dict[str, tuple[str, ...]]:
    if kind not in KINDS:
        raise ComplaintError(_("unknown kind {kind}: use orders or bank", kind=kind))
    return ORDER_FIELDS if kind == "orders" else BANK_FIELDS


def _score(header: str, synonyms: tuple[str, ...]) -> float:
    h = fold(header)
    if not h:
        return 0.0
    best = 0.0
    for syn in synonyms:
        word, _sep, weight = syn.partition("~")
        w = float(weight) if weight else 1.0
        if h == word:
            best = max(best, w)
        elif len(word) > 3 and re.search(rf"(^| ){re.escape(word)}( |$)", h):
            best = max(best, 0.7 * w)
    return best


@dataclass
class Mapping:
    """Which source column feeds which target field, with the confidence of each proposal."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)  # target field -> source header
    confidence: dict[str, float] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)

    def missing(self) -> list[str]:
        """Required fields (or field groups, as "amount|debit|credit") that are not mapped."""
        out = []
        for group in REQUIRED[self.kind]:
            if not any(self.columns.get(f) for f in group):
                out.append("|".join(group))
        return out

    def with_column(self, target: str, header: str | None) -> Mapping:
        columns = {k: v for k, v in self.columns.items() if k != target}
        confidence = {k: v for k, v in self.confidence.items() if k != target}
        if header:
            columns[target] = header
            confidence[target] = 1.0
        return Mapping(self.kind, columns, confidence, dict(self.options))

    def to_profile(self, name: str) -> MappingProfile:
        return MappingProfile(name=name, kind=self.kind, columns=tuple(sorted(self.columns.items())),
                              options=tuple(sorted((k, str(v)) for k, v in self.options.items())))

    @classmethod
    def from_profile(cls, profile: MappingProfile) -> Mapping:
        fields_for(profile.kind)
        columns = dict(profile.columns)
        return cls(profile.kind, columns, dict.fromkeys(columns, 1.0), dict(profile.options))


def propose_mapping(header: list[str], kind: str) -> Mapping:
    """The best guess of target field -> column from the header names alone."""
    fields = fields_for(kind)
    scored = []
    for target, synonyms in fields.items():
        for pos, cell in enumerate(header):
            s = _score(cell, synonyms)
            if s > 0:
                scored.append((s, -pos, target, cell))
    scored.sort(key=lambda t: (-t[0], -t[1], list(fields).index(t[2])))
    columns: dict[str, str] = {}
    confidence: dict[str, float] = {}
    used: set[str] = set()
    for s, _neg, target, cell in scored:
        if target in columns or cell in used:
            continue
        columns[target], confidence[target] = cell, round(s, 2)
        used.add(cell)
    options = {"currency": "EUR"} if kind == "bank" else {}
    return Mapping(kind, columns, confidence, options)


def save_profile(mapping: Mapping, name: str, path: str | Path) -> MappingProfile:
    profile = mapping.to_profile(name)
    Path(path).write_text(dumps(profile, indent=2), encoding="utf-8")
    return profile


def load_profile(path: str | Path) -> MappingProfile:
    """A MappingProfile from a JSON file, with a clear message when it is not one."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
        profile = from_dict(MappingProfile, data)
        if not isinstance(profile.columns, tuple) or profile.kind not in KINDS:
            raise ValueError("kind must be orders or bank")
    except OSError as exc:
        raise ComplaintError(_("{file}: cannot read the mapping profile: {error}", file=p.name,
                               error=exc.strerror or exc)) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise ComplaintError(_("{file}: not a mapping profile: {error}", file=p.name, error=exc)) from exc
    return profile
