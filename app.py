"""The server: ``streamlit run app.py`` (``bash scripts/run.sh``) serves the dashboard (dashboard.py) with
the route that keeps a login across reloads in an HttpOnly cookie (accounts/web.py), and at start opens
the store and creates the first administrator when there is no account yet. Behind a reverse proxy it
can also run as an ASGI app: ``uvicorn app:app`` (see README, "Serving on a bureau's intranet")."""

import streamlit as st

from accounts.web import lifespan, routes

app = st.App("dashboard.py", routes=routes(), lifespan=lifespan)
