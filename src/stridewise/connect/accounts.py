"""Provider and operator accounts: sign-up, argon2 password hashing and login.

Passwords are hashed with argon2id (argon2-cffi's defaults, which follow RFC 9106). Login takes
the same time whether or not the email exists, so it does not reveal who has an account. A
password change ends every session of the account."""

from __future__ import annotations

import contextlib
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stridewise.connect import sessions
from stridewise.connect.models import ROLES, Account
from stridewise.errors import InvalidInput
from stridewise.inputs import INVISIBLE_IN_EMAIL, visible_only

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash("stridewise-timing-equaliser")


class AccountError(InvalidInput):
    """A sign-up that cannot proceed; the message is safe to show to the user."""


def normalise_email(email: str) -> str:
    """Lower-cased, surrounding plain spaces removed; raises AccountError when it is not an
    email address. A control or invisible character anywhere (a tab or line break at the end
    too) is refused, never stripped: the account must be the address that was typed."""
    if not visible_only(email):
        raise AccountError(INVISIBLE_IN_EMAIL)
    cleaned = email.strip(" ").lower()
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


def change_password(session: Session, account: Account, current: str, new: str) -> None:
    """Set a new password after checking the current one, and end every session of the
    account (the caller opens a fresh one for the browser that asked). Raises AccountError."""
    try:
        _hasher.verify(account.password_hash, current[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        raise AccountError("Your current password is not right.") from None
    check_password_rules(new)
    account.password_hash = hash_password(new)
    sessions.end_all(session, account.id)
