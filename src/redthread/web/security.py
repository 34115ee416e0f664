"""What keeps the web pages safe: login sessions, CSRF tokens, the role a page needs,
and headers that forbid inline scripts and framing.

A login session is an API token of the user (labelled ``web session``) kept in an
HttpOnly cookie; logging out revokes it. CSRF: every form carries the value of a
random ``rt_csrf`` cookie (SameSite=Strict), and a POST whose field and cookie differ,
or which comes from another origin, is refused.
"""

from __future__ import annotations

import getpass
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response

from redthread.web.accounts import Authenticator, User

SESSION_COOKIE = "rt_session"
CSRF_COOKIE = "rt_csrf"
CSRF_FIELD = "csrf_token"
#: How long a login lasts, in seconds (the cookie's age; logging out ends it sooner).
SESSION_SECONDS = 12 * 3600
SESSION_LABEL = "web session"

#: Pages may load their own scripts, styles and images only; nothing inline, no frames.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class LoginRequired(Exception):
    """The page needs a signed-in user."""


class Forbidden(Exception):
    """The request is refused; the message says why."""


def local_user() -> User:
    """Who uses a server without accounts (on this machine only): the system's user."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "local"
    return User(f"local:{name}", "admin")


def page_user(request: Request) -> User:
    """The signed-in user (session cookie, or an API token for the JSON twins); without
    accounts, the local user. Raises :class:`LoginRequired` when nobody is signed in."""
    auth: Authenticator = request.app.state.auth
    if not auth.required():
        return local_user()
    token = request.cookies.get(SESSION_COOKIE, "")
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    if not token and scheme.lower() in ("bearer", "apikey"):
        token = bearer.strip()
    user = auth.user(token) if token else None
    if user is None:
        raise LoginRequired()
    return user


def require_role(user: User, role: str) -> None:
    if not user.can(role):
        raise Forbidden(f"this needs the role {role} (you are {user.name}, {user.role})")


def csrf_token(request: Request) -> str:
    """The request's CSRF token: the cookie's, or a new one (set by :func:`finish`)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form that does not carry the CSRF cookie's value, or comes from another
    site (its Origin is not this server)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise Forbidden(
            "the form's security token is missing or stale: reload the page and try again"
        )
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise Forbidden("a form of another site may not post here")


#: The graph explorer's policy: Cytoscape.js sets inline styles on its canvas; scripts
#: stay as strict as everywhere else.
GRAPH_POLICY = PAGE_HEADERS["Content-Security-Policy"].replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def finish(request: Request, response: Response, policy: str | None = None) -> Response:
    """Add the page headers (``policy``: another Content-Security-Policy), and the CSRF
    cookie where this request made one."""
    for name, value in PAGE_HEADERS.items():
        response.headers[name] = value
    if policy is not None:
        response.headers["Content-Security-Policy"] = policy
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="strict", secure=_secure(request)
        )
    return response


def set_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def safe_next(target: str | None) -> str:
    """Where to go after a form: a path of this site only (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _secure(request: Request) -> bool:
    # behind a TLS proxy the scheme arrives in X-Forwarded-Proto (uvicorn --proxy-headers)
    return request.url.scheme == "https"
