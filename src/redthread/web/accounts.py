"""Users, roles and API tokens of the server.

Passwords are hashed with argon2id (argon2-cffi); a token is 32 random bytes shown
once, and only its SHA-256 is kept, so a stolen database gives away no credential.
Roles, each including the ones before it: ``viewer`` (search, screen, read),
``analyst`` (also decide on matches and merges), ``admin`` (also manage users).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from redthread.store import Store

ROLES = ("viewer", "analyst", "admin")
MIN_PASSWORD = 12
TOKEN_PREFIX = "rt_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A user or token request that cannot be done; the message says why."""


@dataclass(frozen=True)
class User:
    """Who is asking: a user's name and role."""

    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user's role includes ``role``."""
        return ROLES.index(self.role) >= ROLES.index(role)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use {', '.join(ROLES)}")


def add_user(store: Store, name: str, password: str, role: str) -> None:
    """A new user with a password and a role."""
    if not _NAME.fullmatch(name):
        raise AccountError(
            "a user name is letters, digits and . _ @ - (at most 128, starting with a letter "
            "or digit)"
        )
    _check_role(role)
    if store.user(name) is not None:
        raise AccountError(f"there is already a user {name!r}")
    hashed = hash_password(password)
    with store.transaction() as writer:
        writer.add_user(name, hashed, role)


def change_user(
    store: Store,
    name: str,
    *,
    password: str | None = None,
    role: str | None = None,
    disabled: bool | None = None,
) -> None:
    """Change a user's password, role or whether the account is disabled."""
    values: dict[str, Any] = {}
    if password is not None:
        values["password_hash"] = hash_password(password)
    if role is not None:
        _check_role(role)
        values["role"] = role
    if disabled is not None:
        values["disabled"] = disabled
    with store.transaction() as writer:
        if not writer.update_user(name, **values):
            raise AccountError(f"no user {name!r}")


def login(store: Store, name: str, password: str) -> User | None:
    """The user, when the name and password are right and the account enabled."""
    found = store.user(name)
    if found is None or found["disabled"]:
        _hasher.hash(password)  # as slow as a real check: no hint that the name is unknown
        return None
    if not verify_password(found["password_hash"], password):
        return None
    return User(found["name"], found["role"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(store: Store, name: str, label: str = "", lifetime: timedelta | None = None) -> str:
    """A new token for a user: returned once, kept only as its SHA-256. ``lifetime``:
    how long it lasts (a web session); None: until revoked (an API token)."""
    found = store.user(name)
    if found is None:
        raise AccountError(f"no user {name!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + lifetime if lifetime is not None else None
    with store.transaction() as writer:
        writer.add_token(int(found["id"]), _token_hash(token), label, expires)
    return token


def revoke_token(store: Store, token_id: int) -> None:
    with store.transaction() as writer:
        if not writer.revoke_token(token_id):
            raise AccountError(f"no token {token_id}")


def revoke_session(store: Store, token: str) -> None:
    """End a login session (its token); nothing happens for an unknown token."""
    with store.transaction() as writer:
        writer.revoke_token_hash(_token_hash(token))


def accounts_exist(store: Store) -> bool:
    """Whether the server has enabled users: then every request needs a token."""
    return any(not u["disabled"] for u in store.users())


#: How long the server trusts what it read about users and tokens, in seconds (a
#: revoked token or a disabled user is refused at most this long after).
AUTH_CACHE_SECONDS = 5.0


class Authenticator:
    """Who a request's token belongs to, read from the store and kept a few seconds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._checked = -AUTH_CACHE_SECONDS
        self._required = False
        self._tokens: dict[str, tuple[float, User | None]] = {}

    def required(self) -> bool:
        """Whether requests need a token (the store has enabled users)."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked > AUTH_CACHE_SECONDS:
                self._required = accounts_exist(self.store)
                self._checked = now
            return self._required

    def forget(self, token: str) -> None:
        """Drop what is known of a token (revoked just now: a session logged out)."""
        self._tokens.pop(_token_hash(token), None)

    def user(self, token: str) -> User | None:
        """The user of a token, or None (unknown, revoked, or the user disabled)."""
        key = _token_hash(token)
        now = time.monotonic()
        cached = self._tokens.get(key)
        if cached is not None and now - cached[0] <= AUTH_CACHE_SECONDS:
            return cached[1]
        found = self.store.token_user(key)
        user = None if found is None else User(found["name"], found["role"])
        if len(self._tokens) > 10_000:
            self._tokens.clear()
        self._tokens[key] = (now, user)
        return user
