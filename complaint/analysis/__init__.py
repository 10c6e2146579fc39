"""The case at a glance (overview) and refunds across many cases (analyst)."""
