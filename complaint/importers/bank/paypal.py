"""PayPal "Activity download" and "Statement" CSV files, in the languages PayPal writes.

Columns are found by their *role* (gross, fee, net, balance, transaction id, reference txn id...)
through one table of the names PayPal gives each role in English, French, Dutch, German, Spanish,
Italian, Polish and Portuguese (compared without case or accents), not by one header list (users customise the column set; ``Gross ``/``Fee `` carry a
trailing space in statements).  Only ``Completed`` rows are money movements; memo rows (``Balance
Impact`` = Memo), holds and authorisations go to ``skipped`` with the reason.  ``General Currency
Conversion`` pairs are skipped too, but their legs convert the payment they reference: a USD
payment funded in EUR becomes a EUR amount with the USD original and the rate, which is what
the bank statement will show.

Ids: ``ref_txn_id("paypal", None, Transaction ID)``, so the activity and the statement download
of the same payment dedupe; ``related_id`` is the id the same function gives the ``Reference Txn
ID`` (the record a refund or a ``Bank Deposit to PP Account`` mirror belongs to).

Dates ``a/b/yyyy``: day-first or month-first is decided from the data (a first part above 12
means day-first, a second part above 12 month-first); when no row decides, EU exports and French
or Dutch headers are read day-first and English statement files month-first, and a warning
records the assumption.  The ``Balance`` column, when present, gives a running-balance proof.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from ...errors import ParseError
from ...i18n import N_, _
from ...records import BankTxn, ImportResult, Issue, PaymentMethod, Provenance, StatementInfo, issue
from .. import base
from ..textio import Source, decode, normalise_newlines, read_table
from ..values import ValueParseError, parse_amount, parse_date
from .balance import check_running_balances
from .paypal_infer import infer_columns
from .roles import fold
from .statement import TxnIds, clean, combine_checks, finish

NAME = "bank.paypal_csv"
# role -> header names PayPal writes in the languages of its sites (folded: lower case, no accents,
# punctuation as spaces), for the activity download and the statement; one column per role.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "datum", "fecha", "data"),
    "time": ("time", "heure", "tijd", "uhrzeit", "hora", "orario", "ora", "czas"),
    "name": ("name", "nom", "naam", "nombre", "nome", "imie i nazwisko", "nazwa", "nazwisko"),
    "type": ("type", "description", "omschrijving", "beschreibung", "typ", "tipo", "descripcion", "descrizione",
             "opis", "descricao"),
    "status": ("status", "etat", "estado", "stato"),
    "currency": ("currency", "devise", "valuta", "wahrung", "divisa", "waluta", "moeda"),
    "gross": ("gross", "avant commission", "bruto", "brutto", "lordo", "importe bruto", "kwota brutto"),
    "fee": ("fee", "commission", "kosten", "gebuhr", "comision", "tarifa", "tariffa", "commissione", "oplata",
            "taxa"),
    "net": ("net", "netto", "neto", "liquido", "importe neto", "kwota netto"),
    "txid": ("transaction id", "numero de transaction", "transactie id", "transactiereferentie", "transaktionscode",
             "id de transaccion", "id de la transaccion", "codice transazione", "id transazione", "numer transakcji",
             "identyfikator transakcji", "codigo da transacao", "id da transacao"),
    "ref": ("reference txn id", "numero de la transaction de reference", "ref", "referentie transactie id",
            "zugehoriger transaktionscode", "id de transaccion de referencia", "id de referencia de transaccion",
            "codice transazione di riferimento", "numer transakcji referencyjnej", "codigo da transacao de referencia",
            "id da transacao de referencia"),
    "impact": ("balance impact", "impact sur le solde", "invloed op saldo", "effect op saldo", "auswirkung auf guthaben",
               "efecto en el saldo", "effetto sul saldo",
               "impacto en el saldo", "impatto sul saldo", "wplyw na saldo", "impacto no saldo"),
    "balance": ("balance", "solde", "saldo", "guthaben"),
    "item": ("item title", "titre de l objet", "objecttitel", "artikelbezeichnung", "titulo del objeto",
             "titolo oggetto", "nazwa przedmiotu", "titulo do item"),
    "bank_name": ("bank name", "nom de la banque", "naam bank", "nombre del banco", "nome banca", "nazwa banku",
                  "nome do banco"),
}
_COMPLETED = {"completed", "termine", "voltooid", "abgeschlossen", "completado", "completada", "completata",
              "completato", "zakonczono", "zakonczona", "zakonczone", "concluido", "concluida"}
_MEMO = {"memo"}
_HOLD_RE = re.compile(r"authori[sz]ation|autorisation|autorisatie|\bhold\b|blocage|reserve|reservering|"
                      r"blokkering|vorautorisierung|einbehalt|retencion|retenida|autorizacion|autorizzazione|"
                      r"\bblocco\b|wstrzymanie|autoryzacja|blokada|autorizacao|retencao", re.IGNORECASE)
_CONVERSION_RE = re.compile(r"currency conversion|conversion de devise|valutaomrekening|valutaconversie|"
                            r"wahrungsumrechnung|conversion de divisa|conversione di valuta|przewalutowanie|"
                            r"przeliczenie waluty|conversao de moeda", re.IGNORECASE)
BANK_DEPOSIT_RE = re.compile(r"bank deposit to pp account|virement bancaire sur le compte paypal|"
                             r"bankstorting op paypal|bankoverschrijving naar paypal|"
                             r"bankgutschrift auf (?:das )?paypal|ingreso bancario en (?:la )?cuenta paypal|"
                             r"dep[oó]sito banc[aá]rio (?:na|in) (?:conta|pp)|versamento bancario|"
                             r"wp[lł]ata bankowa", re.IGNORECASE)
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")


def column_map(header: list[str]) -> dict[str, int]:
    norm = [fold(h) for h in header]
    out: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in norm and norm.index(name) not in out.values():
                out[key] = norm.index(name)
                break
    return out


def decide_dayfirst(dates: list[str], english_statement: bool) -> tuple[bool, bool]:
    """(dayfirst, decided_by_data) for ``a/b/yyyy`` dates."""
    day, month = False, False
    for d in dates:
        m = _SLASH_DATE.match(d)
        if m:
            day |= int(m[1]) > 12
            month |= int(m[2]) > 12
    if day != month:
        return day, True
    return (not english_statement), not any(_SLASH_DATE.match(d) for d in dates)


class PaypalCsvImporter:
    name = NAME
    kind = "bank"
    label = "PayPal CSV"

    def identify(self, source: Source) -> float:
        text, _enc = decode(source.data[:4096])
        text = normalise_newlines(text)
        try:
            first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=_delim(text)), [])
        except csv.Error:
            return 0.0
        cols = column_map(first)
        if {"date", "currency", "txid"} <= cols.keys() and ({"gross", "net"} & cols.keys()):
            return 0.9
        try:  # a language no table knows: PayPal's columns recognised from their values
            rows = list(csv.reader(io.StringIO(normalise_newlines(decode(source.data[:16384])[0])),
                                   delimiter=_delim(text)))[1:31]
        except csv.Error:
            return 0.0
        return 0.6 if infer_columns(rows, len(first)) else 0.0

    def extract(self, source: Source) -> ImportResult:
        table = read_table(source)
        cols = column_map(table.header)
        inferred = None
        if not ({"date", "currency"} <= cols.keys() and {"gross", "net"} & cols.keys()):
            inferred = infer_columns([r.cells for r in table.rows[:50]], len(table.header))
            cols = inferred or cols
        missing = [k for k in ("date", "currency") if k not in cols]
        if "gross" not in cols and "net" not in cols:
            missing.append("gross")
        if missing:
            raise ParseError(_("not a PayPal CSV: no column for {fields}", fields=", ".join(missing)),
                             file=source.name, line=table.header_line)
        reader = _Reader(source, table, cols)
        if inferred:
            reader.warnings.append(issue(source.name, table.header_line, N_(
                "PayPal columns recognised from their values (gross + fee = net, transaction ids), not from "
                "their names: the type and status words of this language are not read, every row is taken "
                "as a completed movement"), severity="warning"))
        return reader.read()


def _delim(text: str) -> str:
    line = text.split("\n", 1)[0]
    return max(",;\t", key=line.count)


class _Reader:
    def __init__(self, source: Source, table, cols: dict[str, int]):
        self.source, self.table, self.cols = source, table, cols
        self.file = source.name
        self.rejected: list[Issue] = []
        self.warnings: list[Issue] = []
        self.skipped: list[Issue] = []
        self.ids = TxnIds("paypal")

    def cell(self, cells: list[str], key: str) -> str | None:
        i = self.cols.get(key)
        if i is None or i >= len(cells):
            return None
        return clean(cells[i])

    def read(self) -> ImportResult:
        header = [h.strip().lower() for h in self.table.header]
        english_statement = "gross" in header and "description" in header and "status" not in self.cols
        dates = [self.cell(r.cells, "date") or "" for r in self.table.rows]
        dayfirst, decided = decide_dayfirst(dates, english_statement)
        if not decided:
            self.warnings.append(issue(
                self.file, None, N_("no date in the file shows whether it is day/month or month/day; read as "
                                    "{layout}"), field="Date", severity="warning",
                layout="dd/mm/yyyy" if dayfirst else "mm/dd/yyyy"))
        txns: list[BankTxn] = []
        conversions: dict[str, list[tuple[Decimal, str]]] = {}
        running: dict[str, list[tuple[Decimal, Decimal, object]]] = {}
        for row in self.table.rows:
            c = row.cells
            typ = self.cell(c, "type") or ""
            status = self.cell(c, "status")
            impact = fold(self.cell(c, "impact") or "")
            try:
                currency = (self.cell(c, "currency") or "").upper()
                if not re.fullmatch(r"[A-Z]{3}", currency):
                    raise ValueParseError(_("currency '{currency}' is not an ISO code", currency=currency))
                gross = parse_amount(self.cell(c, "gross"))
                net = parse_amount(self.cell(c, "net"))
                fee = parse_amount(self.cell(c, "fee")) or Decimal(0)
                amount = gross if gross is not None else net
                if amount is None:
                    raise ValueParseError(_("the amount (Gross/Net) is empty"))
                on = parse_date(self.cell(c, "date"), dayfirst=dayfirst)
                if on is None:
                    raise ValueParseError(_("the date is empty"))
                balance = parse_amount(self.cell(c, "balance"))
            except ValueParseError as exc:
                self.rejected.append(issue(self.file, row.line_no, N_("row not imported: {error}"), error=str(exc)))
                continue
            moved = status is None or fold(status) in _COMPLETED
            if balance is not None:
                effect = (net if net is not None else amount + fee) if moved and impact not in _MEMO else Decimal(0)
                running.setdefault(currency, []).append((effect, balance, on))
            reason = None
            if not moved:
                reason = N_("status {status}: not a completed payment")
            elif impact in _MEMO:
                reason = N_("memo row (Balance Impact: Memo): no money moved")
            elif _HOLD_RE.search(fold(typ)):
                reason = N_("hold or authorisation ({type}): no money moved")
            elif _CONVERSION_RE.search(fold(typ)):
                reason = N_("currency conversion leg ({type}): applied to the payment it converts")
                ref = self.cell(c, "ref")
                if ref:
                    conversions.setdefault(ref, []).append((amount, currency))
            if reason:
                self.skipped.append(issue(self.file, row.line_no, reason, field="Type", value=typ,
                                          severity="skipped", status=status or "", type=typ))
                continue
            txns.append(self.txn(row.line_no, c, typ, amount, currency, on))
        txns = [self.converted(t, conversions) for t in txns]
        return self.result(txns, running)

    def txn(self, line: int, c: list[str], typ: str, amount: Decimal, currency: str, on) -> BankTxn:
        txid = self.cell(c, "txid")
        ref = self.cell(c, "ref")
        name = self.cell(c, "name")
        if BANK_DEPOSIT_RE.search(typ):
            name = name or self.cell(c, "bank_name")
        return BankTxn(
            id=self.ids.make(None, txid, on, amount, currency, name, typ),
            booking_date=on, amount=amount, currency=currency, counterparty=name,
            description=clean(" ".join(x for x in (typ, self.cell(c, "item")) if x)),
            bank_reference=txid, related_id=base.ref_txn_id("paypal", None, ref) if ref else None,
            payment_method=PaymentMethod.PAYPAL,
            provenance=Provenance(self.file, self.source.sha256, NAME, line, txid),
        )

    @staticmethod
    def converted(t: BankTxn, conversions: dict[str, list[tuple[Decimal, str]]]) -> BankTxn:
        """A payment in a foreign currency, paid through a conversion: the converted amount, with
        the payment's own amount as the original."""
        legs = conversions.get(t.bank_reference or "")
        if not legs:
            return t
        own = [a for a, ccy in legs if ccy == t.currency and a == -t.amount]
        other = [(a, ccy) for a, ccy in legs if ccy != t.currency and (a < 0) == (t.amount < 0) and a != 0]
        if not own or len(other) != 1:
            return t
        amount, ccy = other[0]
        from dataclasses import replace

        return replace(t, amount=amount, currency=ccy, original_amount=t.amount, original_currency=t.currency,
                       fx_rate=(abs(amount) / abs(t.amount)).quantize(Decimal("0.000001")) if t.amount else None)

    def result(self, txns: list[BankTxn], running: dict) -> ImportResult:
        checks = []
        statement = None
        for ccy, rows in running.items():
            if len(rows) >= 2 and rows[0][2] > rows[-1][2]:  # newest first: put in booking order
                rows = rows[::-1]
            checks.append(check_running_balances([(a, b) for a, b, _on in rows]))
            if statement is None or ccy == "EUR":
                statement = StatementInfo(None, ccy, rows[0][1] - rows[0][0], rows[0][2], rows[-1][1], rows[-1][2])
        n = len(self.table.rows)
        return finish(self.source, NAME, txns, rows_total=n, rows_imported=len(txns), rejected=self.rejected,
                      warnings=self.warnings, skipped=self.skipped, statement=statement,
                      balance=combine_checks(checks))


base.register(PaypalCsvImporter())
