"""AliExpress order exports: one module per exporter, with the status vocabulary they share."""
