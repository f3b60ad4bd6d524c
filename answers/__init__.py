"""The questions the pages, the command line and the reports ask, answered from the store (``store``)
through the pure analytics (``analytics``) with the settings: no Streamlit, no SQL of its own."""
