"""Idempotent create requests: a client that sends an ``Idempotency-Key`` with a POST and retries
it (because the connection broke before the answer came) gets the first answer again instead of
a second appointment request, account or claim.

The stored response is written in the *same transaction* as what the request created: either
both exist or neither does, so a retry after a crash re-runs the request and a retry after a
commit replays it. The transaction starts by claiming the key with an insert that does nothing
on conflict; on PostgreSQL a concurrent retry on another server waits for the first transaction
and then finds the finished row, so it can never create a duplicate.

Nothing readable is kept: the row's id is an HMAC (under ``secret_key``) of who asked, where, and
the key; the body's fingerprint is an HMAC too; the response (which may hold a runner's status
token) is encrypted with AES-GCM under a key derived from the client's key, which the database
never sees. Rows expire after ``idempotency_ttl_hours``; a key may then be used afresh."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stridewise.connect.models import IdempotentResponse, utcnow
from stridewise.db.engine import session_scope
from stridewise.errors import Conflict, InvalidInput, StridewiseError

HEADER = "Idempotency-Key"
# Printable ASCII without spaces; at least 16 characters, so a key (a UUID is 36) cannot be
# guessed by someone trying to replay another client's answer.
KEY_RE = re.compile(r"^[\x21-\x7e]{16,255}$")
_PENDING = 0


class IdempotencyError(StridewiseError):
    """A key that cannot be used; the message is safe to show."""


class MalformedKey(IdempotencyError, InvalidInput):
    """The key is not 16-255 visible ASCII characters."""


class KeyReused(IdempotencyError, InvalidInput):
    """The key was already used with a different request body."""


class KeyInProgress(IdempotencyError, Conflict):
    """A request with this key has not finished yet."""


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's key, bound to who sent it, where, and with what body."""

    key_hash: str
    fingerprint: str
    cipher_key: bytes


@dataclass(frozen=True)
class Replay:
    """The stored answer to replay."""

    status_code: int
    body: dict[str, Any]


def prepare(secret_key: str, raw_key: str, principal: str, route: str, body: str) -> IdempotencyKey:
    """Bind ``raw_key`` (the header's value) to ``principal`` (an account, or anonymous),
    ``route`` (method and path) and the canonical request ``body``. Raises IdempotencyError
    (MalformedKey) for a malformed key."""
    if not KEY_RE.fullmatch(raw_key):
        raise MalformedKey(f"{HEADER} must be 16 to 255 visible ASCII characters (a UUID works).")
    secret = secret_key.encode()
    key_hash = hmac.new(
        secret, f"idem|{principal}|{route}|{raw_key}".encode(), hashlib.sha256
    ).hexdigest()
    fingerprint = hmac.new(
        secret, f"body|{route}|".encode() + body.encode(), hashlib.sha256
    ).hexdigest()
    cipher_key = hmac.new(secret, f"enc|{raw_key}".encode(), hashlib.sha256).digest()
    return IdempotencyKey(key_hash, fingerprint, cipher_key)


def _open(key: IdempotencyKey, row: IdempotentResponse) -> Replay:
    if row.fingerprint != key.fingerprint:
        raise KeyReused(f"This {HEADER} was already used with a different request body.")
    if row.status_code == _PENDING:
        raise KeyInProgress(f"A request with this {HEADER} is still being processed.")
    blob = base64.b64decode(row.body)
    plain = AESGCM(key.cipher_key).decrypt(blob[:12], blob[12:], key.key_hash.encode())
    return Replay(row.status_code, json.loads(plain))


def lookup(engine: Engine, key: IdempotencyKey, now: datetime | None = None) -> Replay | None:
    """The stored answer for ``key`` if it is live (read-only; call before rate limits so a
    retry is not refused). Raises IdempotencyError when the body differs."""
    with session_scope(engine) as session:
        row = session.get(IdempotentResponse, key.key_hash)
        if row is None or row.expires_at <= (now or utcnow()):
            return None
        return _open(key, row)


def claim(
    session: Session, key: IdempotencyKey, ttl: timedelta, now: datetime | None = None
) -> Replay | None:
    """Claim ``key`` as the first statement of the creating transaction. None: go ahead and
    create, then call :func:`finish` in the same transaction. A Replay: it was already done;
    answer with it and create nothing. Raises IdempotencyError on a different body."""
    now = now or utcnow()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = {
        "key_hash": key.key_hash,
        "fingerprint": key.fingerprint,
        "status_code": _PENDING,
        "body": "",
        "created_at": now,
        "expires_at": now + ttl,
    }
    # RETURNING, not rowcount: psycopg reports -1 for an ORM insert that did nothing.
    stmt = (
        insert(IdempotentResponse)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(IdempotentResponse.key_hash)
    )
    if session.execute(stmt).first() is not None:
        return None
    # Someone else's (committed) row. An expired one is taken over; a live one is replayed.
    taken = session.execute(
        update(IdempotentResponse)
        .where(IdempotentResponse.key_hash == key.key_hash, IdempotentResponse.expires_at <= now)
        .values(**values)
        .returning(IdempotentResponse.key_hash)
    )
    if taken.first() is not None:
        return None
    row = session.scalar(
        select(IdempotentResponse)
        .where(IdempotentResponse.key_hash == key.key_hash)
        .execution_options(populate_existing=True)
    )
    if row is None:  # deleted by a sweep in between: nothing to replay, so create
        session.execute(insert(IdempotentResponse).values(**values).on_conflict_do_nothing())
        return None
    return _open(key, row)


def finish(session: Session, key: IdempotencyKey, status_code: int, body: dict[str, Any]) -> None:
    """Store the answer (encrypted) in the creating transaction."""
    nonce = os.urandom(12)
    sealed = AESGCM(key.cipher_key).encrypt(nonce, json.dumps(body).encode(), key.key_hash.encode())
    session.execute(
        update(IdempotentResponse)
        .where(IdempotentResponse.key_hash == key.key_hash)
        .values(status_code=status_code, body=base64.b64encode(nonce + sealed).decode("ascii"))
    )


def sweep(session: Session, now: datetime | None = None) -> int:
    """Delete expired stored answers."""
    result = session.execute(
        delete(IdempotentResponse).where(IdempotentResponse.expires_at <= (now or utcnow()))
    )
    return int(getattr(result, "rowcount", 0) or 0)
