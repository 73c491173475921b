"""Secrets handed to people: runners' status tokens and providers' claim codes.

Only digests are stored. A status token carries 256 bits from :mod:`secrets`, so it cannot be
guessed, and looking it up by its SHA-256 needs no constant-time comparison (an attacker who can
time the lookup learns about a hash, not the token)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-].
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
CODE_DIGITS = 6


def new_status_token() -> str:
    """A fresh, unguessable status token for a runner's private link."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str | None:
    """The stored form of ``token``, or None when it is not even shaped like one (callers answer
    404 either way, so malformed and unknown tokens are indistinguishable)."""
    if not TOKEN_RE.fullmatch(token):
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_claim_code() -> str:
    """A six-digit verification code for the email step of a claim."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(code: str, secret_key: str, claim_id: int) -> str:
    """HMAC of a claim code, bound to its claim so a code cannot be replayed on another one."""
    msg = f"{claim_id}:{code.strip()}".encode()
    return hmac.new(secret_key.encode(), msg, hashlib.sha256).hexdigest()


def codes_match(expected_digest: str, code: str, secret_key: str, claim_id: int) -> bool:
    """Constant-time check of a typed code against the stored digest."""
    if not expected_digest:
        return False
    return hmac.compare_digest(expected_digest, code_digest(code, secret_key, claim_id))
