"""A Redis lock store that is safe across several Rasa instances (used by deploy/scaled/endpoints.yml).

Rasa's `RedisLockStore` keeps a conversation's ticket queue as one JSON value and changes it by GET, edit, SET.
Within one process that is atomic (no await in between); across instances two messages of one conversation
can read the same queue, so a ticket is lost or issued twice: the turns then interleave, or a message waits
for a ticket that no longer exists until the balancer gives up (seen in tests/scaled before this class).
Here every change runs in a Redis WATCH/MULTI transaction, retried on conflict, and waiting messages poll
every 50 ms instead of every second.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Callable

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)
POLL_SECONDS = 0.05


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` with transactional ticket changes; configured like `type: redis`."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            options = dict(endpoint_config.kwargs)
            kwargs = {"host": endpoint_config.url or "localhost", "port": int(options.pop("port", 6379)),
                      "db": int(options.pop("db", 1)), "password": options.pop("password", None),
                      "key_prefix": options.pop("key_prefix", None), **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, edit: Callable[[TicketLock | None], Any]) -> Any:
        """Run `edit` on the current lock inside a transaction; it returns (result, lock to save or None)."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> Any:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            result, new_lock = edit(lock)
            pipe.multi()
            if new_lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def edit(lock: TicketLock | None) -> tuple[int, TicketLock]:
            lock = lock or TicketLock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._change(conversation_id, edit)
        except Exception as exc:  # noqa: BLE001 - Rasa turns any failure here into a LockError
            raise LockError(f"Could not issue a ticket for conversation '{conversation_id}': {exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        def edit(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, edit)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket; delete the lock in the same transaction when nobody else waits."""
        def edit(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return None, lock if lock.is_someone_waiting() else None

        self._change(conversation_id, edit)

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        return await super()._acquire_lock(conversation_id, ticket, min(wait_time_in_seconds, POLL_SECONDS))
