"""Password hashing: argon2id behind a small protocol, tuned from settings."""

from __future__ import annotations

from typing import Protocol

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError

from coach.config import Settings, get_settings


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, stored_hash: str, password: str) -> bool: ...

    def needs_rehash(self, stored_hash: str) -> bool: ...

    def burn(self, password: str) -> None:
        """Spend the time of a verification, so an unknown email answers as slowly as a known one."""


class Argon2Passwords:
    """argon2id with a per-password salt; the hash string carries its own parameters."""

    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._hasher = Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib)
        self._dummy = self._hasher.hash("not a password anyone has")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    def burn(self, password: str) -> None:
        self.verify(self._dummy, password)


def make_password_hasher(settings: Settings | None = None) -> PasswordHasher:
    settings = settings or get_settings()
    return Argon2Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
