"""Events produced by importing: an order whose status changed between two imports."""

from __future__ import annotations

from .calendar_be import today_brussels
from .i18n import _
from .records import STATUS_LABELS, Event, Lane, Order, match_key


def status_change_event(old: Order, new: Order) -> Event:
    on = today_brussels()
    return Event(
        id="status-" + match_key("status", (new.order_id,), (old.status_text, new.status_text, on.isoformat())),
        kind="status_changed",
        lane=Lane.ORDER.value,
        title=_("Order {order}: status {old} -> {new}", order=new.order_id,
                old=_(STATUS_LABELS[old.status]), new=_(STATUS_LABELS[new.status])),
        on=on,
        body=_("Seen in a later import: '{old}' became '{new}'.", old=old.status_text, new=new.status_text),
        order_ids=(new.order_id,),
        origin="import",
        provenance=new.provenance,
    )
