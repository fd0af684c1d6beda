"""HTTP endpoints beside the Streamlit app: the session cookie, set and cleared by the server.

Streamlit pages talk over a WebSocket and cannot set a cookie, and a cookie set by
JavaScript cannot be HttpOnly. So the page hands a one-minute signed ticket to
``POST /api/session`` and this server answers with ``Set-Cookie`` (HttpOnly,
SameSite=Strict, Secure over https). ``app.py`` mounts these routes with ``st.App``.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from learning.clock import utc_now
from learning.session_tokens import (
    ABSOLUTE,
    COOKIE_NAME,
    decode_session,
    decode_ticket,
    encode_session,
    server_secret,
)

SESSION_PATH = "/api/session"
REFRESH_PATH = "/api/session/refresh"
HEADER = "x-learning-session"  # not a "simple" header: another site's page cannot send it without CORS


def _secure(request: Request) -> bool:
    """Secure when the browser reached us over https (directly or through a proxy that says so)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _with_cookie(request: Request, value: str) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE_NAME, value, max_age=int(ABSOLUTE.total_seconds()), path="/", httponly=True,
                        samesite="strict", secure=_secure(request))
    return response


def _cleared(request: Request, status: int = 204) -> Response:
    response = Response(status_code=status, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


async def session_endpoint(request: Request) -> Response:
    """POST: a ticket in, the session cookie out. DELETE: the cookie cleared (sign-out)."""
    if request.headers.get(HEADER) != "1":
        return Response(status_code=403)
    if request.method == "DELETE":
        return _cleared(request)
    body = (await request.body())[:4096].decode("ascii", errors="replace").strip()
    now = utc_now()
    session = decode_ticket(body, server_secret(), now)
    if session is None:
        return Response(status_code=403)
    return _with_cookie(request, encode_session(replace(session, seen=now), server_secret()))


async def refresh_endpoint(request: Request) -> Response:
    """Move the cookie's "last seen" to now while a page is in use, so a reload is not taken for idleness.

    It checks signature, idle and absolute limits, never extends past ABSOLUTE, and
    leaves revocation to the app, which checks it on every use of the cookie.
    """
    if request.headers.get(HEADER) != "1":
        return Response(status_code=403)
    now = utc_now()
    session = decode_session(request.cookies.get(COOKIE_NAME), server_secret(), now)
    if session is None:
        return _cleared(request, status=401)
    return _with_cookie(request, encode_session(replace(session, seen=now), server_secret()))


def routes() -> list[Route]:
    return [Route(REFRESH_PATH, refresh_endpoint, methods=["POST"]),
            Route(SESSION_PATH, session_endpoint, methods=["POST", "DELETE"])]


class ClearSessionOnLogout:
    """Streamlit's ``/auth/logout`` (``st.logout``) also clears our session cookie, in the same response.

    So an SSO sign-out ends the identity cookie and the app session together, even if
    the browser leaves for the provider's sign-out page before any script of ours runs.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").endswith("/auth/logout"):
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"
        cookie = (f"{COOKIE_NAME}=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; "
                  f"SameSite=strict{'; Secure' if secure else ''}")

        async def send_clearing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"set-cookie", cookie.encode("latin-1"))]}
            await send(message)

        await self.app(scope, receive, send_clearing)
