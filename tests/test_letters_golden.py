"""Golden letters: four situations, four languages, every letter written from the case view.

The situations (each through the real reconciliation, like tests/test_view.py):
- ``partial``: a partial refund of 25,00 € of a 60,00 € order, granted by the dispute, never credited;
- ``two_parts``: a full refund of 60,00 € credited in two parts (20,00 € + 15,00 €), 25,00 € still missing;
- ``purchase_day``: a refund of 20,00 € promised by the seller, booked by the bank on the purchase date
  (credited, not missing);
- ``no_promise``: a damaged lamp of 45,99 €, the seller answered, a dispute open, nothing promised.

Each test checks the claimed amount, the promise and its date, the amount outstanding, the order
of the facts, and that no letter contradicts the chronology (an answer is recorded: no "no answer";
a refund was granted: no "no solution"; nothing is missing: no "not received").  The formal notice
of each situation is also compared with its golden file under tests/data/letters/
(``COMPLAINT_REGEN_GOLDEN=1`` rewrites them, to be read before committing).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from complaint.api.sample import sample_case_data
from complaint.case import CaseData
from complaint.dossier.letter_text import day, money
from complaint.dossier.letters import KINDS, LETTER_LANGUAGES, public_post_warnings, render_letter
from complaint.dossier.view import build_case_view
from complaint.reconciliation.reconcile import reconcile
from complaint.records import (
    MANUAL,
    BankTxn,
    BuyerProfile,
    Event,
    Order,
    OrderAnnotation,
    OrderLine,
    OrderStatus,
    Provenance,
    RefundPromise,
)

GOLDEN = Path(__file__).parent / "data" / "letters"
ORDER = "8200000000000001"
AS_OF = date(2026, 9, 30)
PROFILE = {"name": "Lotte Janssens", "address": "Diestsesteenweg 112\n3010 Kessel-Lo"}


def _txn(n: int, day_: date, amount: str, text: str = "ALIEXPRESS.COM LUXEMBOURG") -> BankTxn:
    return BankTxn(id=f"t{n}", booking_date=day_, amount=Decimal(amount), currency="EUR", account="BE68539007547034",
                   description=text, merchant="aliexpress" if "ALIEXPRESS" in text else None,
                   payment_method="debit_card", provenance=Provenance("kbc.csv", "0" * 64, "bank.kbc_csv", n))


def _msg(kind: str, on: date, hour: int, text: str) -> Event:
    at = datetime(on.year, on.month, on.day, hour, 0, tzinfo=UTC)
    return Event(id=f"{kind}-{on}-{hour}", kind=kind, lane="messages", title=text[:40], on=on, at=at, body=text,
                 order_ids=(ORDER,), origin="manual", provenance=MANUAL)


def _case(total: str, title: str, txns: list[BankTxn], promises=(), events=(), dispute: date | None = None,
          problem: str = "damaged") -> CaseData:
    case = CaseData(name="golden", as_of=AS_OF)
    line = OrderLine(ORDER, title, 1, Decimal(total), "EUR")
    case.orders = [Order(order_id=ORDER, order_date=date(2026, 6, 1), status=OrderStatus.COMPLETED,
                         status_text="Completed", currency="EUR", total=Decimal(total), store="Lumière Shop",
                         items=(line,))]
    case.transactions = txns + [_txn(99, date(2026, 9, 29), "-5.00", "BAKERY")]  # the statement runs to 29 Sept
    case.promises = list(promises)
    case.events = list(events)
    case.annotations = {ORDER: OrderAnnotation(ORDER, problem=problem, payment_method="debit_card",
                                               seller_country="CN", delivered_on=date(2026, 6, 5),
                                               dispute_opened_on=dispute)}
    return case


ANSWERED = (_msg("message_out", date(2026, 6, 6), 9, "The lamp arrived broken, see the photos."),
            _msg("message_in", date(2026, 6, 7), 10, "Sorry for this. Please open a dispute, we will accept."))


def situation(name: str) -> CaseData:
    pay = _txn(1, date(2026, 6, 2), "-60.00")
    if name == "partial":
        return _case("60.00", "Ceramic table lamp", [pay], events=ANSWERED, dispute=date(2026, 6, 8),
                     promises=[RefundPromise("p1", ORDER, Decimal("25.00"), "EUR", date(2026, 6, 15), by="dispute")])
    if name == "two_parts":
        return _case("60.00", "Ceramic table lamp", [pay, _txn(2, date(2026, 6, 20), "20.00"),
                                                      _txn(3, date(2026, 6, 25), "15.00")],
                     events=ANSWERED, dispute=date(2026, 6, 8),
                     promises=[RefundPromise("p1", ORDER, Decimal("60.00"), "EUR", date(2026, 6, 15), by="dispute")])
    if name == "purchase_day":
        return _case("20.00", "Ceramic table lamp", [_txn(1, date(2026, 6, 1), "-20.00"),
                                                     _txn(2, date(2026, 6, 1), "20.00")], events=ANSWERED,
                     promises=[RefundPromise("p1", ORDER, Decimal("20.00"), "EUR", date(2026, 6, 10), by="seller")])
    assert name == "no_promise"
    return _case("45.99", "Ceramic table lamp", [_txn(1, date(2026, 6, 2), "-45.99")], events=ANSWERED,
                 dispute=date(2026, 6, 8))


SITUATIONS = ("partial", "two_parts", "purchase_day", "no_promise")


@pytest.fixture(scope="module")
def views():
    out = {}
    for name in SITUATIONS:
        case = situation(name)
        out[name] = (case, build_case_view(case, reconcile(case, as_of=AS_OF)))
    return out


def letter(views, name: str, kind: str, lang: str):
    case, view = views[name]
    return render_letter(kind, case, ORDER, view.reconciliation, lang, AS_OF, extra=PROFILE, view=view)


def m(amount: str, lang: str) -> str:
    return money(Decimal(amount), "EUR", lang)


def d(value: date, lang: str) -> str:
    return day(value, lang)


# the phrases each language uses (the tests read the letters as a reader would)
DEMAND = {"fr": "je vous mets en demeure de me verser la somme de {a}", "nl": "het bedrag van {a} te betalen",
          "en": "to pay me the sum of {a}", "de": "mir den Betrag von {a} innerhalb"}
DECIDED = {"fr": "Le {d}, ce litige a été tranché en ma faveur : un remboursement de {a} m'a été accordé",
           "nl": "Op {d} werd het geschil in mijn voordeel beslecht: mij werd een terugbetaling van {a} toegekend",
           "en": "On {d}, the dispute was decided in my favour: I was granted a refund of {a}",
           "de": "Am {d} wurde der Streitfall zu meinen Gunsten entschieden: Mir wurde eine Erstattung von {a} "
                 "zugesprochen"}
SELLER_PROMISED = {"fr": "Le {d}, le vendeur s'est engagé à me rembourser {a}",
                   "nl": "Op {d} heeft de verkoper zich ertoe verbonden mij {a} terug te betalen",
                   "en": "On {d}, the seller promised to refund {a}",
                   "de": "Am {d} hat sich der Verkäufer verpflichtet, mir {a} zu erstatten"}
NOTHING_ARRIVED = {"fr": "ce remboursement de {a} ne m'est toujours pas parvenu",
                   "nl": "deze terugbetaling van {a} nog altijd niet ontvangen",
                   "en": "this refund of {a} has still not reached me",
                   "de": "diese Erstattung von {a} noch immer nicht bei mir eingegangen"}
REST_MISSING = {"fr": "le solde de {a} ne m'est toujours pas parvenu", "nl": "het resterende bedrag van {a} nog altijd niet",
                "en": "the remaining {a} has still not reached me", "de": "der Restbetrag von {a} noch immer nicht"}
WAITED = {"fr": "{n} jours ouvrables après le {d}", "nl": "{n} werkdagen na {d}", "en": "{n} business days after {d}",
          "de": "{n} Werktage nach dem {d}"}
TWO_CREDITS = {"fr": "J'ai reçu {a1} le {d1} et {a2} le {d2}, soit {t}.",
               "nl": "Ik ontving {a1} op {d1} en {a2} op {d2}, samen {t}.",
               "en": "I received {a1} on {d1} and {a2} on {d2}, {t} in all.",
               "de": "Ich habe {a1} am {d1} und {a2} am {d2} erhalten, insgesamt {t}."}
ON_PURCHASE_DAY = {"fr": "ma banque a daté ce crédit du {d}, jour de l'achat",
                   "nl": "mijn bank heeft dit bedrag gedateerd op {d}, de dag van de aankoop",
                   "en": "my bank dated this credit {d}, the day of the purchase",
                   "de": "meine Bank hat diese Gutschrift auf den {d} datiert, den Tag des Kaufs"}
NOTHING_CLAIMED = {"fr": "la présente ne réclame aucune somme", "nl": "wordt met deze brief daarvoor geen bedrag gevorderd",
                   "en": "this letter claims no sum", "de": "wird mit diesem Schreiben dafür kein Betrag gefordert"}
SELLER_ANSWERED = {"fr": "le vendeur m'a répondu : « Sorry for this.", "nl": "antwoordde de verkoper: “Sorry for this.",
                   "en": "the seller answered: “Sorry for this.", "de": "hat der Verkäufer geantwortet: „Sorry for this."}
STILL_OPEN = {"fr": "il n'a pas encore été tranché", "nl": "daarover is nog niet beslist",
              "en": "it has not been decided yet", "de": "er ist noch nicht entschieden"}
# what would contradict the chronology
NO_ANSWER = {"fr": ("sans réponse", "sans obtenir de réponse", "pas reçu de réponse"),
             "nl": ("geen antwoord", "zonder antwoord"), "en": ("no answer", "not answered"),
             "de": ("keine Antwort", "ohne eine Antwort")}
NO_SOLUTION = {"fr": ("sans obtenir de solution", "sans solution", "restée sans solution"),
               "nl": ("zonder oplossing",), "en": ("without a solution", "no solution"), "de": ("ohne Lösung",)}
NOT_RECEIVED = {"fr": ("toujours pas parvenu", "jamais parvenu", "pas encore arrivé"),
                "nl": ("nog altijd niet", "nog niet op mijn rekening"), "en": ("still not", "not reached my account"),
                "de": ("noch immer nicht", "noch nicht auf meinem Konto")}
CLAIM_WORDS = {"fr": ("la somme de {a}", "remboursement intégral de {a}", "recréditer mon compte de {a}",
                      "ce remboursement de {a}", "le versement du remboursement de {a}"),
               "nl": ("het bedrag van {a}", "volledige terugbetaling van {a}", "{a} terug op mijn rekening",
                      "deze terugbetaling van {a}", "dat de terugbetaling van {a}", "resterende bedrag van {a} op"),
               "en": ("the sum of {a}", "full refund of {a}", "credit {a} back", "this refund of {a}",
                      "paid the refund of {a}"),
               "de": ("den Betrag von {a}", "vollständige Erstattung von {a}", "{a} wieder gutzuschreiben",
                      "diese Erstattung von {a}", "Auszahlung der Erstattung von {a}", "Zahlung des Restbetrags von {a}")}


def facts_in_order(text: str, lang: str) -> list[date]:
    """The dates of the letter's chronology ("- 8 juin 2026 : ..."), as they appear."""
    known = {d(date(2026, 1, 1) + timedelta(days=i), lang): date(2026, 1, 1) + timedelta(days=i) for i in range(365)}
    out = []
    for line in text.splitlines():
        hit = re.match(r"- (.+?) ?: ", line)
        if hit and hit.group(1) in known:
            out.append(known[hit.group(1)])
    return out


def story_dates(text: str, lang: str) -> list[date]:
    """The dates that open the sentences of the narrative ("Le 8 juin 2026, ...", "Op 8 juni 2026 ...")."""
    lead = {"fr": r"Le ", "nl": r"Op ", "en": r"On ", "de": r"Am "}[lang]
    known = {d(date(2026, 1, 1) + timedelta(days=i), lang): date(2026, 1, 1) + timedelta(days=i) for i in range(365)}
    opening = {"fr": "Madame, Monsieur,", "nl": "Geachte mevrouw, geachte heer,", "en": "Dear Sir or Madam,",
               "de": "Sehr geehrte Damen und Herren,"}[lang]
    body = text.split(opening, 1)[1].split("\n- ")[0]  # the narrative: after the greeting, before the first list
    pattern = lead + r"(\d{1,2}(?:er)?\.? [^\s,]+ \d{4})"
    dates = [known[x] for x in re.findall(pattern, body) if x in known]
    return [x for x in dates if x != date(2026, 6, 1)]  # the opening sentence names the order day


def no_contradiction(text: str, lang: str, *, answered: bool, granted: bool, missing: bool) -> None:
    lowered = text.lower()
    if answered:
        assert not [p for p in NO_ANSWER[lang] if p in lowered], text
    if granted:
        assert not [p for p in NO_SOLUTION[lang] if p in lowered], text
    if not missing:
        assert not [p for p in NOT_RECEIVED[lang] if p in lowered], text


# --- the four situations ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
def test_a_partial_refund_promised_and_never_credited(views, lang):
    notice = letter(views, "partial", "formal_notice", lang).text
    o = views["partial"][1].order(ORDER)
    assert DEMAND[lang].format(a=m("25.00", lang)) in notice
    assert DEMAND[lang].format(a=m("60.00", lang)) not in notice  # not the order total
    assert DECIDED[lang].format(d=d(date(2026, 6, 15), lang), a=m("25.00", lang)) in notice
    assert NOTHING_ARRIVED[lang].format(a=m("25.00", lang)) in notice
    assert WAITED[lang].format(n=o.days_waited, d=d(date(2026, 6, 15), lang)) in notice
    facts = facts_in_order(notice, lang)
    assert facts == sorted(facts) and len(facts) >= 7 and facts[0] == date(2026, 6, 1)
    dates = story_dates(notice, lang)
    assert dates == sorted(dates) and dates[0] == date(2026, 6, 6) and date(2026, 6, 15) in dates
    no_contradiction(notice, lang, answered=True, granted=True, missing=True)


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
def test_a_full_refund_credited_in_two_parts_one_missing(views, lang):
    notice = letter(views, "two_parts", "formal_notice", lang).text
    assert DEMAND[lang].format(a=m("25.00", lang)) in notice
    for wrong in ("60.00", "35.00"):
        assert DEMAND[lang].format(a=m(wrong, lang)) not in notice
    assert DECIDED[lang].format(d=d(date(2026, 6, 15), lang), a=m("60.00", lang)) in notice
    assert TWO_CREDITS[lang].format(a1=m("20.00", lang), d1=d(date(2026, 6, 20), lang), a2=m("15.00", lang),
                                    d2=d(date(2026, 6, 25), lang), t=m("35.00", lang)) in notice
    assert REST_MISSING[lang].format(a=m("25.00", lang)) in notice
    facts = facts_in_order(notice, lang)
    assert facts == sorted(facts) and date(2026, 6, 20) in facts and date(2026, 6, 25) in facts
    dates = story_dates(notice, lang)
    assert dates == sorted(dates) and dates[-1] == date(2026, 6, 15)
    no_contradiction(notice, lang, answered=True, granted=True, missing=True)


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
def test_a_refund_credited_on_the_purchase_date_is_not_claimed(views, lang):
    notice = letter(views, "purchase_day", "formal_notice", lang).text
    assert SELLER_PROMISED[lang].format(d=d(date(2026, 6, 10), lang), a=m("20.00", lang)) in notice
    assert ON_PURCHASE_DAY[lang].format(d=d(date(2026, 6, 1), lang)) in notice
    assert NOTHING_CLAIMED[lang] in notice
    assert DEMAND[lang].format(a=m("20.00", lang)) not in notice
    facts = facts_in_order(notice, lang)
    assert facts == sorted(facts)
    dates = story_dates(notice, lang)
    assert dates == sorted(dates) == [date(2026, 6, 6), date(2026, 6, 10)]
    # the credit the bank back-dated is told after the promise it settles
    assert notice.index(SELLER_PROMISED[lang][:8].format(d=d(date(2026, 6, 10), lang))) < notice.index(
        ON_PURCHASE_DAY[lang].format(d=d(date(2026, 6, 1), lang)))
    no_contradiction(notice, lang, answered=True, granted=True, missing=False)


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
def test_no_promise_claims_the_order_total(views, lang):
    notice = letter(views, "no_promise", "formal_notice", lang).text
    assert DEMAND[lang].format(a=m("45.99", lang)) in notice
    assert SELLER_ANSWERED[lang] in notice and STILL_OPEN[lang] in notice
    facts = facts_in_order(notice, lang)
    assert facts == sorted(facts) and date(2026, 6, 7) in facts
    dates = story_dates(notice, lang)
    assert dates == sorted(dates) == [date(2026, 6, 6), date(2026, 6, 7), date(2026, 6, 8)]
    no_contradiction(notice, lang, answered=True, granted=False, missing=False)


EXPECTED_CLAIM = {"partial": "25.00", "two_parts": "25.00", "purchase_day": None, "no_promise": "45.99"}


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
@pytest.mark.parametrize("name", SITUATIONS)
def test_every_letter_claims_what_the_view_says_and_nothing_else(views, name, lang):
    total = views[name][1].order(ORDER).total.amount
    expected = EXPECTED_CLAIM[name]
    for kind in KINDS:
        text = letter(views, name, kind, lang).text
        assert "{{" not in text and "{%" not in text and "[" not in text.replace("[adres", "").replace(
            "[adresse", "").replace("[address", "").replace("[Adresse", ""), (kind, text)
        claims = [w.format(a=m(str(a), lang)) for w in CLAIM_WORDS[lang]
                  for a in {total, Decimal("25.00"), Decimal("35.00"), Decimal("20.00"), Decimal("60.00")}]
        found = {c for c in claims if c in text}
        if expected is None:
            assert not found, (kind, found)
        else:
            wanted = {c for c in found if m(expected, lang) in c}
            assert found == wanted, (kind, found)
        no_contradiction(text, lang, answered=True, granted=name != "no_promise",
                         missing=name in ("partial", "two_parts"))


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
@pytest.mark.parametrize("name", SITUATIONS)
def test_the_public_post_is_short_and_holds_nothing_personal(views, name, lang):
    post = letter(views, name, "public_post", lang)
    assert post.text == post.body and ORDER in post.body and len(post.body.strip()) <= 280
    assert public_post_warnings(post.body, known_ids=[ORDER], profile=BuyerProfile(**PROFILE)) == []
    for secret in ("BE68", "5390", "Lotte", "Kessel", "Diestsesteenweg"):
        assert secret not in post.body


@pytest.mark.parametrize("name", SITUATIONS)
def test_formal_notice_matches_its_golden_file(views, name):
    for lang in LETTER_LANGUAGES:
        text = letter(views, name, "formal_notice", lang).text
        path = GOLDEN / f"formal_notice_{name}_{lang}.txt"
        if os.environ.get("COMPLAINT_REGEN_GOLDEN"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"{path.name} differs; read the letter, then regenerate"


# --- the sample case ---------------------------------------------------------------------------

def test_the_sample_french_formal_notice_for_the_missing_refund():
    case = sample_case_data()
    view = build_case_view(case, reconcile(case, as_of=case.as_of))
    text = render_letter("formal_notice", case, "8116516504403817", view.reconciliation, "fr", case.as_of,
                         extra={"name": case.profile.name, "address": case.profile.address}, view=view).text
    assert "je vous mets en demeure de me verser la somme de 14,90 €" in text
    assert "29,80 € dans un délai" not in text and "intégral" not in text
    assert "Le 18 juin 2026, ce litige a été tranché en ma faveur : un remboursement de 14,90 € m'a été accordé" in text
    assert "109 jours ouvrables après le 18 juin 2026" in text
    assert "(ARN) est 74987506169000123456789" in text
    facts = facts_in_order(text, "fr")
    assert facts == sorted(facts) and facts[0] == date(2026, 5, 24) and date(2026, 7, 31) in facts
    assert facts.index(date(2026, 6, 9)) < facts.index(date(2026, 7, 30))
    assert "réponse du vendeur : « Dear, the refund is done from our side." in text  # the seller's answer of 31 July
    assert "« KBC: no incoming card refund for that amount since June" in text  # what the bank said
    assert "« Agent said the refund was completed on 18/06" in text  # what the help-centre agent said
    no_contradiction(text, "fr", answered=True, granted=True, missing=True)
    assert "Lotte Janssens" in text and "[votre" not in text
