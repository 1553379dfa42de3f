"""The lock store of the scaled setup on this machine's Redis: processes taking tickets for one conversation
at the same time each get their own place in the queue (Rasa's RedisLockStore hands out duplicates here)."""
from __future__ import annotations

import multiprocessing
import uuid

import pytest

pytestmark = pytest.mark.scaled

REDIS = "redis://127.0.0.1:6379/0"
TICKETS = 200


@pytest.fixture
def prefix():
    import redis

    try:
        client = redis.Redis.from_url(REDIS, socket_timeout=3)
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS}: {exc.__class__.__name__}")
    name = f"locktest{uuid.uuid4().hex[:8]}"
    yield name
    for key in client.scan_iter(f"{name}*"):
        client.delete(key)


def _store(prefix: str):
    from bot.ops.lock_store import AtomicRedisLockStore

    return AtomicRedisLockStore(host="127.0.0.1", port=6379, db=0, key_prefix=prefix)


def _take_tickets(prefix: str, queue) -> None:
    queue.put([_store(prefix).issue_ticket("shopper", 600) for _ in range(TICKETS)])


def test_two_processes_taking_tickets_at_once_never_share_one(prefix):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_take_tickets, args=(prefix, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    tickets = queue.get(timeout=120) + queue.get(timeout=120)
    for worker in workers:
        worker.join(30)
    assert len(set(tickets)) == 2 * TICKETS
    assert len(_store(prefix).get_lock("shopper").tickets) == 2 * TICKETS


def test_the_next_message_is_served_when_the_one_before_finishes(prefix):
    store = _store(prefix)
    first, second = store.issue_ticket("shopper"), store.issue_ticket("shopper")
    assert store.get_lock("shopper").is_locked(second)
    store.cleanup("shopper", first)
    assert not store.get_lock("shopper").is_locked(second)
    store.cleanup("shopper", second)
    assert store.get_lock("shopper") is None  # nobody waits: the lock is gone
