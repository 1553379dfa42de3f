"""Staff accounts: bcrypt password hashes, login with failed-attempt throttling, the first manager, a CLI.

    python -m bot.security.staff add <username> --role manager|agent|trainee [--password-stdin]
    python -m bot.security.staff list
"""
from __future__ import annotations

import argparse
import secrets
import sys
import threading
import time
from collections import defaultdict, deque

import bcrypt
from sqlalchemy.exc import IntegrityError

from bot.db.uow import AbstractUnitOfWork, run_in_unit_of_work
from bot.security.secrets import get_secret
from bot.security.tables import ROLES, StaffUser
from bot.security.tokens import StaffIdentity

MIN_PASSWORD, MAX_PASSWORD = 10, 72   # bcrypt uses at most 72 bytes
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt()).decode()


class StaffError(ValueError):
    """An account that cannot be created as asked; the message says why."""


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def check_password(password: str, hashed: str) -> bool:
    data = password.encode()
    return len(data) <= MAX_PASSWORD and bcrypt.checkpw(data, hashed.encode())


def add_staff(uow: AbstractUnitOfWork, username: str, password: str, role: str) -> None:
    if not username or len(username) > 64 or not set(username) <= USERNAME_CHARS:
        raise StaffError("username: 1-64 letters, digits, _ . or -")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if not MIN_PASSWORD <= len(password.encode()) <= MAX_PASSWORD:
        raise StaffError(f"password must be {MIN_PASSWORD}-{MAX_PASSWORD} bytes")
    if uow.staff.get(username) is not None:
        raise StaffError(f"{username} exists already")
    uow.staff.add(StaffUser(username=username, password_hash=hash_password(password), role=role))
    try:
        uow.commit()
    except IntegrityError as exc:     # another process created it between the check and the insert
        uow.rollback()
        raise StaffError(f"{username} exists already") from exc


def list_staff(uow: AbstractUnitOfWork) -> list[tuple[str, str, str]]:
    """(username, role, created at ISO) of every account, by name."""
    return [(u.username, u.role, u.created_at.isoformat()[:16]) for u in uow.staff.by_name()]


def ensure_admin(uow: AbstractUnitOfWork) -> bool:
    """Create the first manager (STORE_ADMIN_USER / STORE_ADMIN_PASSWORD) when that account is missing."""
    username = get_secret("STORE_ADMIN_USER")
    if uow.staff.get(username) is not None:
        return False
    try:
        add_staff(uow, username, get_secret("STORE_ADMIN_PASSWORD"), "manager")
    except StaffError as exc:
        if "exists" in str(exc):  # another web worker created it just now
            return False
        raise
    return True


def authenticate(uow: AbstractUnitOfWork, username: str, password: str) -> StaffIdentity | None:
    """The account's identity when the password matches; the same bcrypt work when the user is unknown."""
    user = uow.staff.get(username) if isinstance(username, str) else None
    hashed, role = (user.password_hash, user.role) if user else (_DUMMY_HASH, "")
    uow.rollback()                       # the read ends before the bcrypt work
    ok = check_password(password, hashed) if isinstance(password, str) else False
    return StaffIdentity(username, role) if ok and user is not None else None


class LoginThrottle:
    """At most `limit` failed logins per key (user name, client address) in `window` seconds (per process).

    Keys that start with "ip:" get `ip_limit`: many staff may share one office address.
    """

    def __init__(self, limit: int = 5, window: float = 900.0, ip_limit: int = 30) -> None:
        self.limit, self.window, self.ip_limit = limit, window, ip_limit
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def _limit(self, key: str) -> int:
        return self.ip_limit if key.startswith("ip:") else self.limit

    def retry_after(self, *keys: str) -> int:
        """Seconds until another try is allowed (0: allowed now)."""
        now = time.monotonic()
        with self._lock:
            waits = [self.window - (now - times[0]) for key in keys
                     if len(times := self._recent(key, now)) >= self._limit(key)]
        return int(max(waits)) + 1 if waits else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._failures.pop(username_key, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add a staff account (prints a generated password unless given)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    commands.add_parser("list", help="list staff accounts")
    args = parser.parse_args(argv)
    if args.command == "list":
        for username, role, _ in run_in_unit_of_work(list_staff):
            print(f"{username}\t{role}")
        return 0
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else secrets.token_urlsafe(15)
    try:
        run_in_unit_of_work(add_staff, args.username, password, args.role)
    except StaffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"added {args.role} {args.username}" + ("" if args.password_stdin else f" with password {password}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
