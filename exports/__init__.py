"""Files to download: a table with its column types and a header block in, CSV or XLSX bytes out (pure)."""
