"""Seller conversations and tracking histories, as a buyer pastes them from the AliExpress pages.

Three copied chat layouts occur: ``Name YYYY-MM-DD HH:MM`` header lines then the message (desktop
message centre), a date line followed by ``You: ...`` / ``Store: ...`` lines (mobile app), and
``[dd/mm/yyyy HH:MM] Name: ...`` lines (browser extension copy).  Tracking histories are the
Cainiao page's dated status lines, newest first.
"""

from __future__ import annotations

TRACKING_NUMBERS = {
    "damaged": "LP00648213957304", "wrongsize": "LP00639027716582", "missing": "LP00642268431079",
    "shortqty": "LP00645530186247", "late": "LP00649901475318", "notdelivered": "LP00651872094436",
}


def conversations(ids: dict[str, str]) -> dict[str, tuple[str, str]]:
    """order key -> (file name, text)."""
    o = ids
    return {
        "damaged": (f"chat_{o['damaged']}_HOMMOO.txt", f"""\
HOMMOO Furniture Store 2026-01-27 18:50
Hello dear, welcome to HOMMOO store. How can we help you?

You 2026-01-27 18:52
Hello, order {o['damaged']} arrived today. The box was crushed at one corner and the side panel of the bookshelf is split (about 14 cm). I took photos before unpacking further.

HOMMOO Furniture Store 2026-01-28 09:14
Sorry for the bad experience dear. Can you send photo of the damage and the package label?

You 2026-01-28 09:31
Photos sent in the dispute. The shelf cannot carry weight on that side.

HOMMOO Furniture Store 2026-02-03 10:05
We can offer 20 EUR partial refund, the shelf can still be used.

You 2026-02-03 12:47
Sorry, 20 EUR is not enough, a new side panel is not sold separately. I asked 35 EUR in the dispute.

HOMMOO Furniture Store 2026-02-06 08:22
OK dear, we accept 35 EUR refund in the dispute. No need to return. Thank you for understanding.
"""),
        "wrongsize": (f"chat_{o['wrongsize']}_Simwood.txt", f"""\
Mar 14, 2026 10:12
You: Hello, I ordered the jacket in size L (order {o['wrongsize']}) but the label says S and the chest is 51 cm. It does not fit.
Simwood Men's Clothing Store: Dear friend, so sorry for the mistake of warehouse.
Simwood Men's Clothing Store: Please open dispute and choose return, we will accept.
You: OK, dispute opened today.
Mar 20, 2026 16:40
You: I sent the jacket back today with the return label, tracking RB784512693BE.
Simwood Men's Clothing Store: Thank you, we will refund when we receive.
Apr 8, 2026 09:03
Simwood Men's Clothing Store: We received the return. Refund is done, please check.
"""),
        "missing": (f"chat_{o['missing']}_NordicLiving.txt", f"""\
[22/04/2026 17:41] You: Hello, my order {o['missing']} arrived but the 2 pendant cord sets are not in the parcel. Only the rattan shade and the hooks. The packing list says cord x2.
[23/04/2026 08:12] Nordic Living Home Store: Hello friend, let me check with warehouse.
[24/04/2026 09:55] Nordic Living Home Store: Sorry, the cords were out of stock when packing. We refund 17.80 EUR for the 2 cords.
[24/04/2026 10:20] You: OK, please refund to my PayPal.
[25/04/2026 07:48] Nordic Living Home Store: Refund submitted 17.80 EUR. You will receive in PayPal in few days.
"""),
        "shortqty": (f"chat_{o['shortqty']}_DELI.txt", f"""\
DELI Tools Official Store 2026-06-08 21:02
Dear customer, your package is delivered. Please leave 5 stars if satisfied!

You 2026-06-08 21:15
Hello, I ordered 4 bar clamps (order {o['shortqty']}) but there are only 2 in the box. See photo.

DELI Tools Official Store 2026-06-09 10:30
Sorry, maybe they sent in two packages. Please wait 7 days.

You 2026-06-16 19:05
Still only 2 clamps after 7 days and the tracking shows one parcel only. I opened a dispute.

DELI Tools Official Store 2026-06-16 22:41
OK we agree refund 14.90 EUR for 2 pieces in dispute.

You 2026-07-30 20:12
The dispute says refund completed on 18 June, but I have not received 14.90 EUR on my KBC card. Can you check?

DELI Tools Official Store 2026-07-31 09:03
Dear, the refund is done from our side. Please contact AliExpress customer service.
"""),
        "late": (f"chat_{o['late']}_Baseus.txt", f"""\
Aug 12, 2026 19:20
You: Hello, order {o['late']} was guaranteed to arrive by 2 August and the tracking has not moved for 10 days.
Baseus Official Store: Sorry for the delay, the logistics is busy. Please wait a few more days.
Aug 21, 2026 18:05
You: The power bank arrived today, 19 days late. I asked the delivery guarantee compensation.
Baseus Official Store: Thank you for your patience dear.
"""),
        "notdelivered": (f"chat_{o['notdelivered']}_XiaomiYoupin.txt", f"""\
Xiaomi Youpin Global Store 2026-10-22 11:20
Hello, your parcel is on the way, please wait patiently.

You 2026-10-22 20:48
The tracking of order {o['notdelivered']} has shown "Departed from transit country/region" since 14 October. Nothing since.

Xiaomi Youpin Global Store 2026-10-27 09:12
We are checking with the logistics company.

You 2026-10-29 21:44
No news after two weeks. I opened a dispute (package not received).

Xiaomi Youpin Global Store 2026-11-05 15:30
Sorry, the parcel is lost. We agree full refund in the dispute.
"""),
    }


def tracking_histories(ids: dict[str, str]) -> dict[str, tuple[str, str]]:
    """order key -> (file name, text pasted from the Cainiao / AliExpress tracking page)."""
    def page(number: str, steps: list[str]) -> str:
        return f"Tracking number: {number}\nCarrier: Cainiao / AliExpress Standard Shipping\n\n" + "\n".join(steps) + "\n"

    t = TRACKING_NUMBERS
    return {
        "damaged": (f"tracking_{ids['damaged']}.txt", page(t["damaged"], [
            "2026-01-27 14:21:09  Delivered",
            "2026-01-27 07:48:33  Out for delivery",
            "2026-01-26 18:02:11  Arrived at local delivery center, Leuven",
            "2026-01-23 09:40:55  Cleared customs",
            "2026-01-21 04:12:30  Arrived at destination country/region, Liège",
            "2026-01-15 23:05:41  Departed from transit country/region",
            "2026-01-12 16:33:02  Received by sorting center",
            "2026-01-10 10:18:47  Package ready for dispatch",
        ])),
        "wrongsize": (f"tracking_{ids['wrongsize']}.txt", page(t["wrongsize"], [
            "2026-03-12 13:05:22  Delivered",
            "2026-03-12 08:01:17  Out for delivery",
            "2026-03-10 21:44:09  Arrived at destination country/region, Liège",
            "2026-03-06 02:31:40  Departed from transit country/region",
            "2026-03-04 12:10:05  Package ready for dispatch",
        ])),
        "missing": (f"tracking_{ids['missing']}.txt", page(t["missing"], [
            "2026-04-22 15:52:48  Delivered, left at the door",
            "2026-04-22 08:20:13  Out for delivery",
            "2026-04-19 06:33:27  Arrived at destination country/region, Liège",
            "2026-04-11 17:06:51  Departed from transit country/region",
            "2026-04-07 09:14:36  Package ready for dispatch",
        ])),
        "shortqty": (f"tracking_{ids['shortqty']}.txt", page(t["shortqty"], [
            "2026-06-08 12:40:02  Delivered",
            "2026-06-08 07:55:41  Out for delivery",
            "2026-06-05 19:22:18  Arrived at destination country/region, Liège",
            "2026-05-30 01:47:56  Departed from transit country/region",
            "2026-05-27 11:03:29  Package ready for dispatch  (weight 0.62 kg)",
        ])),
        "late": (f"tracking_{ids['late']}.txt", page(t["late"], [
            "2026-08-21 11:37:14  Delivered",
            "2026-08-21 07:49:05  Out for delivery",
            "2026-08-18 22:14:30  Arrived at destination country/region, Liège",
            "2026-08-02 08:00:00  Delivery guarantee date passed",
            "2026-07-31 05:26:47  Departed from transit country/region",
            "2026-07-22 14:51:33  Package ready for dispatch",
        ])),
        "notdelivered": (f"tracking_{ids['notdelivered']}.txt", page(t["notdelivered"], [
            "2026-10-14 06:12:40  Departed from transit country/region",
            "2026-10-13 22:47:18  Arrived at transit country/region hub",
            "2026-10-09 03:15:52  Departed from sorting center",
            "2026-10-07 19:02:26  Received by sorting center",
            "2026-10-06 11:30:09  Package ready for dispatch",
        ])),
    }
