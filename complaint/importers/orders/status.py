"""Order status: every wording an export may use, normalised to :class:`OrderStatus`.

Sources of wording (checked November 2026):

- English UI strings from the order list ("Awaiting delivery", "Completed", "Cancelled", ...), as
  public exporters read them (https://github.com/my-purchases/extensions,
  https://github.com/andrew-melnyk/aliexpress-orders-scrapper) and as "What do the different order
  status on AliExpress mean" lists them (https://www.alimaniac.com/how-to-shop-on-aliexpress/
  35-what-do-the-different-order-status-on-aliexpress-mean-add/);
- AliExpress Open Platform API / GDPR backup codes (``WAIT_BUYER_ACCEPT_GOODS``, ``FINISH``,
  ``IN_ISSUE``, ...), the ``order_status`` values public SDKs of that API list;
- ``end_reason`` codes of the GDPR backup (``seller_send_goods_timeout``, ``buyer_accept_goods``, ...);
- the order-list words of the localised sites in French, Dutch, German, Spanish, Italian, Polish and
  Portuguese, one table per language (:data:`STATUS_TABLES`), and keywords for wordings not listed.

The original text is never thrown away: importers keep it in ``Order.status_text``.

Refund expectation (:func:`refund_expectation`) is inferred from status and end reason. The
end-reason reading comes from the code names only (AliExpress does not document them), so each
decision carries a reason code such as ``"status:cancelled"`` or
``"end_reason:seller_send_goods_timeout"`` that the user can see and challenge.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ...records import OrderStatus

S = OrderStatus

API_CODES: dict[str, OrderStatus] = {
    "PLACE_ORDER_SUCCESS": S.AWAITING_PAYMENT,
    "RISK_CONTROL": S.AWAITING_PAYMENT,  # payment being verified (24 h risk check)
    "WAIT_SELLER_EXAMINE_MONEY": S.AWAITING_PAYMENT,
    "IN_CANCEL": S.CANCELLED,  # the buyer asked to cancel
    "WAIT_SELLER_SEND_GOODS": S.AWAITING_SHIPMENT,
    "SELLER_PART_SEND_GOODS": S.SHIPPED,
    "WAIT_BUYER_ACCEPT_GOODS": S.SHIPPED,
    "FUND_PROCESSING": S.REFUND_IN_PROGRESS,
    "IN_ISSUE": S.IN_DISPUTE,
    "IN_FROZEN": S.IN_DISPUTE,
    "FINISH": S.COMPLETED,  # refined by end_reason below
}

# end_reason -> (status when the order is finished, a refund is due when the order was paid)
END_REASONS: dict[str, tuple[OrderStatus, bool]] = {
    "buyer_accept_goods": (S.COMPLETED, False),
    "buyer_confirm_goods": (S.COMPLETED, False),
    "buyer_accept_goods_timeout": (S.COMPLETED, False),
    "buyer_pay_timeout": (S.CANCELLED, False),  # never paid
    "buyer_cancel_notpay_order": (S.CANCELLED, False),  # never paid
    "risk_reject_closed": (S.CANCELLED, True),
    "cancel_order_close_trade": (S.CANCELLED, True),
    "seller_send_goods_timeout": (S.CANCELLED, True),
    "buyer_cancel_order_in_risk": (S.CANCELLED, True),
    "seller_accept_issue_no_goods_return": (S.REFUNDED, True),
    "seller_response_issue_timeout": (S.REFUNDED, True),
}


def _fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().replace("ł", "l")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


# One table per account language: the order-list wording (folded) -> status.  English is
# documented (sources above); the other languages are the words AliExpress's localised sites use
# for the same tabs and badges (fr.aliexpress.com, nl., de., es., it., pl., pt.), kept as one
# table each so a missing word is seen per language.  Wordings not listed fall through to the
# keyword rules below.
STATUS_TABLES: dict[str, dict[OrderStatus, tuple[str, ...]]] = {
    "en": {
        S.AWAITING_PAYMENT: ("awaiting payment", "unpaid", "to pay", "payment being verified", "payment pending"),
        S.AWAITING_SHIPMENT: ("awaiting shipment", "to ship", "processing", "waiting for shipment"),
        S.SHIPPED: ("awaiting delivery", "shipped", "to receive", "in transit", "partially shipped"),
        S.COMPLETED: ("completed", "complete", "delivered", "finished", "confirmed", "order completed"),
        S.CANCELLED: ("cancelled", "canceled", "closed", "expired", "order closed", "order cancelled"),
        S.IN_DISPUTE: ("dispute", "in dispute", "disputed", "dispute in progress", "dispute opened"),
        S.REFUND_IN_PROGRESS: ("fund processing", "refund in progress", "refund processing", "refunding"),
        S.REFUNDED: ("refunded", "refund completed", "refund successful", "refund complete"),
    },
    "fr": {
        S.AWAITING_PAYMENT: ("en attente de paiement", "paiement en cours de verification", "a payer"),
        S.AWAITING_SHIPMENT: ("en attente d expedition", "en cours de preparation", "a expedier"),
        S.SHIPPED: ("en attente de livraison", "expedie", "expediee", "en transit", "a recevoir"),
        S.COMPLETED: ("termine", "terminee", "livre", "livree", "commande terminee"),
        S.CANCELLED: ("annule", "annulee", "ferme", "fermee", "expire", "expiree", "commande annulee"),
        S.IN_DISPUTE: ("litige", "litige en cours"),
        S.REFUND_IN_PROGRESS: ("remboursement en cours",),
        S.REFUNDED: ("rembourse", "remboursee", "remboursement effectue"),
    },
    "nl": {
        S.AWAITING_PAYMENT: ("wachten op betaling", "in afwachting van betaling", "betaling wordt gecontroleerd",
                             "te betalen"),
        S.AWAITING_SHIPMENT: ("wachten op verzending", "in afwachting van verzending", "te verzenden"),
        S.SHIPPED: ("verzonden", "wachten op levering", "in afwachting van levering", "onderweg", "te ontvangen"),
        S.COMPLETED: ("voltooid", "afgerond", "geleverd", "bezorgd"),
        S.CANCELLED: ("geannuleerd", "gesloten", "verlopen"),
        S.IN_DISPUTE: ("geschil", "geschil in behandeling", "geschil geopend"),
        S.REFUND_IN_PROGRESS: ("terugbetaling in behandeling", "terugbetaling bezig"),
        S.REFUNDED: ("terugbetaald", "terugbetaling voltooid"),
    },
    "de": {
        S.AWAITING_PAYMENT: ("warten auf zahlung", "zahlung wird uberpruft", "zahlung ausstehend"),
        S.AWAITING_SHIPMENT: ("warten auf versand", "versand ausstehend"),
        S.SHIPPED: ("versandt", "warten auf lieferung", "unterwegs", "zu empfangen"),
        S.COMPLETED: ("abgeschlossen", "geliefert", "zugestellt"),
        S.CANCELLED: ("storniert", "geschlossen", "abgelaufen", "abgebrochen"),
        S.IN_DISPUTE: ("streitfall", "reklamation", "disput"),
        S.REFUND_IN_PROGRESS: ("ruckerstattung lauft", "erstattung in bearbeitung"),
        S.REFUNDED: ("erstattet", "ruckerstattet", "ruckerstattung abgeschlossen"),
    },
    "es": {
        S.AWAITING_PAYMENT: ("pendiente de pago", "esperando el pago", "esperando pago", "por pagar"),
        S.AWAITING_SHIPMENT: ("pendiente de envio", "esperando el envio", "esperando envio", "por enviar"),
        S.SHIPPED: ("enviado", "enviada", "esperando la entrega", "esperando entrega", "en transito", "por recibir"),
        S.COMPLETED: ("completada", "completado", "finalizado", "finalizada", "entregado", "entregada"),
        S.CANCELLED: ("cancelado", "cancelada", "cerrado", "cerrada", "caducado", "caducada"),
        S.IN_DISPUTE: ("disputa", "en disputa", "disputa abierta"),
        S.REFUND_IN_PROGRESS: ("reembolso en curso", "reembolso en proceso"),
        S.REFUNDED: ("reembolsado", "reembolsada", "reembolso completado"),
    },
    "it": {
        S.AWAITING_PAYMENT: ("in attesa di pagamento", "da pagare"),
        S.AWAITING_SHIPMENT: ("in attesa di spedizione", "da spedire"),
        S.SHIPPED: ("spedito", "spedita", "in attesa di consegna", "in transito", "da ricevere"),
        S.COMPLETED: ("completato", "completata", "concluso", "concluso", "consegnato", "consegnata"),
        S.CANCELLED: ("annullato", "annullata", "chiuso", "chiusa", "scaduto", "scaduta"),
        S.IN_DISPUTE: ("controversia", "in controversia", "contestazione"),
        S.REFUND_IN_PROGRESS: ("rimborso in corso",),
        S.REFUNDED: ("rimborsato", "rimborsata", "rimborso completato"),
    },
    "pl": {
        S.AWAITING_PAYMENT: ("oczekuje na platnosc", "oczekiwanie na platnosc", "do zaplaty"),
        S.AWAITING_SHIPMENT: ("oczekuje na wysylke", "oczekiwanie na wysylke", "do wyslania"),
        S.SHIPPED: ("wyslane", "wyslano", "oczekuje na dostawe", "oczekiwanie na dostawe", "w drodze",
                    "do odbioru"),
        S.COMPLETED: ("zakonczone", "zakonczono", "zrealizowane", "dostarczone"),
        S.CANCELLED: ("anulowane", "anulowano", "zamkniete", "zamknieto", "wygasle"),
        S.IN_DISPUTE: ("spor", "spor w toku", "otwarty spor"),
        S.REFUND_IN_PROGRESS: ("zwrot w toku", "zwrot pieniedzy w toku"),
        S.REFUNDED: ("zwrocono", "zwrot zakonczony", "zwrot pieniedzy zakonczony"),
    },
    "pt": {
        S.AWAITING_PAYMENT: ("aguardando pagamento", "pagamento pendente", "a pagar"),
        S.AWAITING_SHIPMENT: ("aguardando envio", "a enviar"),
        S.SHIPPED: ("enviado", "enviada", "aguardando entrega", "em transito", "a receber"),
        S.COMPLETED: ("concluido", "concluida", "finalizado", "finalizada", "entregue"),
        S.CANCELLED: ("cancelado", "cancelada", "fechado", "fechada", "expirado", "expirada"),
        S.IN_DISPUTE: ("disputa", "em disputa"),
        S.REFUND_IN_PROGRESS: ("reembolso em andamento", "reembolso em curso"),
        S.REFUNDED: ("reembolsado", "reembolsada", "reembolso concluido"),
    },
}


def _ui_strings() -> dict[str, OrderStatus]:
    out: dict[str, OrderStatus] = {}
    for table in STATUS_TABLES.values():
        for status, words in table.items():
            for word in words:
                if out.setdefault(_fold(word), status) != status:
                    raise ValueError(f"status word {word!r} means two statuses")
    return out


UI_STRINGS: dict[str, OrderStatus] = _ui_strings()

# Keyword fallback for wordings not listed above (first match wins; order matters).
_KEYWORDS: tuple[tuple[str, OrderStatus], ...] = (
    (r"\b(refund|rembours|terugbeta|erstatt|reembols|rimbors|zwrot)\w*\b.*\b(progress|processing|cours|behandeling|"
     r"bezig|lauft|bearbeitung|curso|proceso|corso|toku|andamento)\b", S.REFUND_IN_PROGRESS),
    (r"\b(refunded|rembourse|terugbetaald|erstattet|ruckerstattet|reembolsad[oa]|rimborsat[oa]|zwrocono)\b",
     S.REFUNDED),
    (r"\b(dispute|litige|geschil|streit|reklamation|disputa|controversia|spor)\w*", S.IN_DISPUTE),
    (r"\b(cancel|annul|geannuleerd|storn|closed|ferme|gesloten|geschlossen|expire|verlopen|abgelaufen|cerrad|chius|"
     r"zamkni|fechad|anulowan|caducad|scadut)\w*", S.CANCELLED),
    (r"\b(payment|paiement|betaling|zahlung|pago|pagamento|platnosc)\b", S.AWAITING_PAYMENT),
    (r"\b(delivery|livraison|levering|lieferung|shipped|expedie|verzonden|versandt|transit|transito|entrega|"
     r"consegna|dostawe|enviad[oa]|spedit[oa]|wyslane)\b", S.SHIPPED),
    (r"\b(shipment|ship|expedition|verzending|versand|envio|spedizione|wysylke)\b", S.AWAITING_SHIPMENT),
    (r"\b(complete|completed|delivered|termine|livre|voltooid|geleverd|abgeschlossen|geliefert|completad[oa]|"
     r"completat[oa]|zakonczon[eo]|concluid[oa]|finalizad[oa])\b", S.COMPLETED),
)


def normalise_status(text: str | None, end_reason: str | None = None) -> OrderStatus:
    """The normalised status of an export's wording or code (UNKNOWN when nothing matches)."""
    raw = (text or "").strip()
    code = raw.upper().replace(" ", "_")
    reason = (end_reason or "").strip().lower()
    if code in API_CODES:
        status = API_CODES[code]
        if code == "FINISH" and reason in END_REASONS:
            return END_REASONS[reason][0]
        return status
    if not raw and reason in END_REASONS:
        return END_REASONS[reason][0]
    folded = _fold(raw)
    if not folded:
        return S.UNKNOWN
    if folded in UI_STRINGS:
        return UI_STRINGS[folded]
    for pattern, status in _KEYWORDS:
        if re.search(pattern, folded):
            return status
    return S.UNKNOWN


def refund_expectation(status: OrderStatus, *, end_reason: str | None = None, paid: bool | None = None,
                       status_text: str | None = None) -> tuple[bool, str | None]:
    """Whether a refund should reach the buyer, and why (a reason code), from what the export says.

    ``paid`` is False when the export says the order was never paid (then nothing is expected),
    None when it does not say.  An "Expired" order is one whose payment window closed: no
    payment, so no refund.
    """
    if paid is False:
        return False, None
    reason = (end_reason or "").strip().lower()
    if reason in END_REASONS:
        _status, due = END_REASONS[reason]
        if due:
            return True, f"end_reason:{reason}"
        if status not in (S.REFUND_IN_PROGRESS, S.REFUNDED, S.IN_DISPUTE):
            return False, None
    if status == S.CANCELLED:
        if _fold(status_text or "") in {"expired", "expire", "expiree", "verlopen", "abgelaufen", "caducado",
                                        "caducada", "scaduto", "scaduta", "wygasle", "expirado", "expirada"}:
            return False, None
        if (status_text or "").strip().upper() == "IN_CANCEL":
            return True, "status:in_cancel"
        return True, "status:cancelled"
    if status == S.REFUND_IN_PROGRESS:
        return True, "status:refund_in_progress"
    if status == S.REFUNDED:
        return True, "status:refunded"
    return False, None


@dataclass(frozen=True, slots=True)
class StatusInfo:
    status: OrderStatus
    status_text: str
    refund_expected: bool
    refund_reason: str | None
    end_reason: str | None = None


def classify(text: str | None, *, end_reason: str | None = None, paid: bool | None = None) -> StatusInfo:
    """Status, original text and refund expectation in one call (what importers use)."""
    status = normalise_status(text, end_reason)
    expected, reason = refund_expectation(status, end_reason=end_reason, paid=paid, status_text=text)
    reason_code = (end_reason or "").strip() or None
    return StatusInfo(status, (text or "").strip(), expected, reason, reason_code)
