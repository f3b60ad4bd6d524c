"""Reports from the store: ``python -m reports brief`` (the leadership brief as JSON or Markdown)."""
