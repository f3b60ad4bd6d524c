"""The HTTP side of the login, mounted by ``app.py`` (``st.App(..., routes=routes(), lifespan=lifespan)``).

Streamlit's scripts talk to the browser over a websocket and cannot set a cookie; a reload starts a new
session whose only memory is the browser's cookies (``st.context.cookies``, read from the websocket's
handshake). So after a login the page hands the new session's token to this route, which puts it in an
**HttpOnly** cookie (no script in the page can read it), ``SameSite=Strict``, ``Secure`` behind HTTPS:

1. the login (``webapp/session.py``) opens a session and asks :func:`offer` for a one-time code (valid
   60 s, kept in this process's memory; the token itself never appears in the page);
2. a small script on the next page POSTs the code in the ``X-Safety-Handoff`` header;
3. the route exchanges it for the token and sets the cookie. A cross-site form cannot send that header
   (and a cross-site script needs a CORS preflight nobody answers), so the route needs no XSRF token.

``DELETE`` with the header ``X-Safety-Handoff: logout`` removes the cookie (the session itself is ended
in the store first: a stale cookie opens nothing).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

COOKIE = "safety_session"
HEADER = "X-Safety-Handoff"
HANDOFF_TTL_S = 60.0
ROUTE = "_account/session"

log = logging.getLogger(__name__)
_lock = threading.Lock()
_handoffs: dict[str, tuple[str, float]] = {}
_mounted = False


def offer(token: str, now: float | None = None) -> str:
    """A one-time code for ``token``, valid ``HANDOFF_TTL_S`` seconds."""
    now = time.monotonic() if now is None else now
    code = secrets.token_urlsafe(24)
    with _lock:
        for stale in [c for c, (_, until) in _handoffs.items() if until < now]:
            del _handoffs[stale]
        _handoffs[code] = (token, now + HANDOFF_TTL_S)
    return code


def take(code: str, now: float | None = None) -> str | None:
    """The token of a code, once; None for an unknown, used or expired code."""
    now = time.monotonic() if now is None else now
    with _lock:
        entry = _handoffs.pop(code, None)
    if entry is None or entry[1] < now:
        return None
    return entry[0]


def base_path() -> str:
    """The app's path prefix (``server.baseUrlPath``: ``/safety`` behind a proxy), '' at the root."""
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def session_url() -> str:
    return f"{base_path()}/{ROUTE}"


def mounted() -> bool:
    """Whether this process serves the route (started through ``app.py``); without it a login lasts as
    long as the browser's tab (``streamlit run dashboard.py``, AppTest)."""
    return _mounted


async def _session(request: Any) -> Any:
    from starlette.responses import JSONResponse

    from accounts.model import auth_policy

    code = request.headers.get(HEADER, "")
    secure = request.url.scheme == "https"
    path = base_path() or "/"
    if request.method == "DELETE":
        if code != "logout":
            return JSONResponse({"ok": False}, status_code=403)
        response = JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"})
        response.delete_cookie(COOKIE, path=path, secure=secure, httponly=True, samesite="strict")
        return response
    token = take(code) if code else None
    if token is None:
        return JSONResponse({"ok": False}, status_code=403)
    try:
        max_age = int(auth_policy().max_age.total_seconds())
    except ValueError:
        max_age = 12 * 3600
    response = JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE, token, max_age=max_age, path=path, secure=secure, httponly=True, samesite="strict")
    return response


def routes() -> list[Any]:
    """The routes for ``st.App``; calling this marks the route as served by this process."""
    from starlette.routing import Route

    global _mounted
    _mounted = True
    return [Route(session_url(), _session, methods=["POST", "DELETE"])]


def _first_start() -> None:
    """Open the store (app.py's start has made it ready: ``loaders.demo.ensure``) and, with no account yet,
    create the first administrator — so that its password is printed when the server starts, not at the first page."""
    from accounts.service import ensure_initial_admin
    from store import open_store

    ensure_initial_admin(open_store())


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    import anyio

    try:
        await anyio.to_thread.run_sync(_first_start)
    except Exception:  # noqa: BLE001 — the first page tries again (and says what is wrong)
        log.warning("could not prepare the store and the first account at start", exc_info=True)
    yield
