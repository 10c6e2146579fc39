"""Importers: one module per source format, registered in :mod:`complaint.importers.base`."""
