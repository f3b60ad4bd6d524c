"""The Streamlit glue shared by the pages: the view of this run with the cached store and queries
(``state.py``), the sidebar's filters (``sidebar.py``), the login gate (``session.py``) and the meeting
pack of the current view (``pack.py``)."""
