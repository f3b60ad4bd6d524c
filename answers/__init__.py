"""The questions the pages, the command line and the reports ask, answered from the store with analytics."""
