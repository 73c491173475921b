"""Provider and operator accounts: sign-up, argon2 password hashing and login.

Passwords are hashed with argon2id (argon2-cffi's defaults, which follow RFC 9106). Login takes
the same time whether or not the email exists, so it does not reveal who has an account."""

from __future__ import annotations

import contextlib
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stridewise.connect.models import ROLES, Account
from stridewise.errors import InvalidInput

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash("stridewise-timing-equaliser")


class AccountError(InvalidInput):
    """A sign-up that cannot proceed; the message is safe to show to the user."""


def normalise_email(email: str) -> str:
    """Lower-cased and stripped; raises AccountError when it is not an email address."""
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not EMAIL_RE.fullmatch(cleaned):
        raise AccountError("Enter a valid email address.")
    return cleaned


def check_password_rules(password: str) -> None:
    """Length is the rule that matters (NIST SP 800-63B); no composition rules."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError("That password is too long.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_account(
    session: Session, email: str, password: str, role: str, display_name: str = ""
) -> Account:
    """Insert an account (flushes, does not commit). Raises AccountError on a bad email, a weak
    password or an email that is already registered."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}.")
    address = normalise_email(email)
    check_password_rules(password)
    exists = session.scalar(select(func.count()).where(Account.email == address))
    if exists:
        raise AccountError("An account with that email already exists.")
    account = Account(
        email=address,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name.strip()[:120],
    )
    session.add(account)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same email
        raise AccountError("An account with that email already exists.") from exc
    return account


def authenticate(session: Session, email: str, password: str) -> Account | None:
    """The account for these credentials, or None. Rehashes when argon2 parameters changed."""
    try:
        address = normalise_email(email)
    except AccountError:
        address = ""
    account = session.scalar(select(Account).where(Account.email == address)) if address else None
    if account is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def get_account(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)
