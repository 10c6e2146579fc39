"""The case store: SQLite (or PostgreSQL for a team), one schema, numbered migrations."""
