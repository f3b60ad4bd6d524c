"""Loaders: read files, validate and normalise them against the schema, and write to the store."""
