"""Bank, card and PayPal statements: Belgian CSV exports, CODA, camt.053, MT940, OFX, PayPal."""
