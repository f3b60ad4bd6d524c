"""The server: ``streamlit run app.py`` (``bash scripts/run.sh``) serves the dashboard (dashboard.py) with
the route that keeps a login across reloads in an HttpOnly cookie (accounts/web.py), and at start, before
the first page, makes the store ready: a missing store is built with the demo data (``SAFETY_DEMO=0``: created
empty), its progress on the console (``loaders.demo.ensure``), and with no account yet the first
administrator is created. Behind a reverse proxy it can also run as an ASGI app: ``uvicorn app:app`` (see
docs/accounts.md, "Serving on a bureau's intranet")."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st

from accounts.web import lifespan, routes


@asynccontextmanager
async def _start(app_: Any) -> AsyncIterator[None]:
    """The store first (``bash scripts/run.sh`` has already done it with ``loaders demo --ensure``: then this
    says nothing), then the login's start (accounts.web.lifespan)."""
    import anyio

    from loaders.demo.ensure import ensure_store

    try:
        await anyio.to_thread.run_sync(lambda: ensure_store(quiet=True))
    except Exception:  # noqa: BLE001 — the first page tries again (and says what is wrong)
        logging.getLogger(__name__).warning("could not prepare the store at start", exc_info=True)
    async with lifespan(app_):
        yield


app = st.App("dashboard.py", routes=routes(), lifespan=_start)
