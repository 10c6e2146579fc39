"""The columnar import path: a large file read into typed arrow columns, records built on demand.

The record path (each importer's ``extract``) turns every row into a frozen record with Decimal
parsing and regular expressions; about 0.1 ms a row.  A file of more than
:data:`~complaint.importers.columnar.readcsv.COLUMNAR_MIN_ROWS` rows goes through this package
instead, and gives the same :class:`~complaint.records.ImportResult`, field for field:

- :mod:`.readcsv` reads a delimited file with pyarrow into one string column per header cell and
  keeps the physical line each row starts on (quoted newlines and blank lines counted the way
  :func:`complaint.importers.textio.read_table` counts them);
- :mod:`.cells` parses a column at a time: the very functions of the record path
  (``parse_date``, ``parse_amount``, ``clean_text``, ``mask_cards``, the merchant rules...) run
  once per *distinct* value, and a vectorised fast path handles the common shapes (``-12,34``)
  only where it provably gives the same value;
- :mod:`.bankcsv` is the columnar twin of the declared bank CSV machinery, :mod:`.ordercsv` of the
  Shopper Inventory CSV, :mod:`.codacols` of CODA (fixed-width records sliced as a byte matrix);
- :mod:`.tables` holds the result: a :class:`~.tables.BankColumns` or
  :class:`~.tables.OrderColumns` (a pyarrow table, strings for Decimals so every value reads back
  exactly) wrapped in :class:`~.tables.LazyRecords`, the ``records`` of the ImportResult: its
  length is known at once and records are built only for the rows a page or a report shows.

Small files keep the record path; ``tests/test_columnar_equivalence.py`` reads every golden file
and sample file both ways and compares the results.
"""
