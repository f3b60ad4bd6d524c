"""The link (URL) parameters and their strict parsing, each bad value with a notice: the sidebar's
filters (``filters.py``), the Explorer's ``ex_*`` (``explorer.py``), the big screen's (``screen.py``). Pure:
no Streamlit, no SQL."""
