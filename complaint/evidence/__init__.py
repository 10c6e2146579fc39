"""Evidence photos and screenshots: ingest, capture time, metadata and privacy-safe copies."""
