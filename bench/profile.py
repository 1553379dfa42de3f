"""Where a turn's time goes: each component of the running stack timed on its own, with real payloads.

Plays each store journey once over REST, reads the resulting trackers, then times, one request at a time:
NLU (`/model/parse`), every custom action the journeys ran (action server `/webhook`), every response they
rendered (web app `/nlg`) and a tracker read (`GET /conversations/<id>/tracker`, the tracker store). With the
calls per turn counted from the trackers, the sum of the parts is set against the measured REST turn.
"""
from __future__ import annotations

import statistics
import time
import uuid
from typing import Any, Callable

import httpx

from bench.load import load_journeys
from bot.security.rasa_auth import rasa_params
from bot.security.tokens import issue_shopper_token

REPEAT = 15


def _median_ms(call: Callable[[], httpx.Response], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call().raise_for_status()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def _play(client: httpx.Client, rasa: str) -> tuple[list[dict], list[float]]:
    trackers, turn_times = [], []
    for journey in load_journeys("store"):
        sender = f"profile-{uuid.uuid4().hex[:8]}"
        for text in journey.turns:
            started = time.perf_counter()
            client.post(f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                        headers={"Authorization": f"Bearer {issue_shopper_token(sender)}"}).raise_for_status()
            turn_times.append(time.perf_counter() - started)
        trackers.append(client.get(f"{rasa}/conversations/{sender}/tracker", params=rasa_params()).json())
    return trackers, turn_times


def _calls(trackers: list[dict], custom: set[str]) -> tuple[dict[str, dict], dict[str, dict], int]:
    """Custom actions and rendered responses seen, each with a tracker to replay it on; and the user turns."""
    actions: dict[str, dict] = {}
    responses: dict[str, dict] = {}
    turns = 0
    for tracker in trackers:
        for event in tracker["events"]:
            if event["event"] == "user":
                turns += 1
            elif event["event"] == "action" and event.get("name") in custom:
                actions.setdefault(event["name"], tracker)
            elif event["event"] == "bot":
                name = (event.get("metadata") or {}).get("utter_action")
                if name:
                    responses.setdefault(name, tracker)
    return actions, responses, turns


def _count(trackers: list[dict], custom: set[str]) -> tuple[int, int]:
    action_calls = sum(1 for t in trackers for e in t["events"] if e["event"] == "action" and e.get("name") in custom)
    nlg_calls = sum(1 for t in trackers for e in t["events"] if e["event"] == "bot")
    return action_calls, nlg_calls


def profile(rasa: str, actions_url: str, web: str) -> dict[str, Any]:
    with httpx.Client(timeout=30) as client:
        domain = client.get(f"{rasa}/domain", params=rasa_params(), headers={"Accept": "application/json"}).json()
        custom = {a for a in domain.get("actions", []) if not a.startswith("utter_")}
        trackers, turn_times = _play(client, rasa)
        actions, responses, turns = _calls(trackers, custom)
        action_calls, nlg_calls = _count(trackers, custom)
        texts = [t for j in load_journeys("store") for t in j.turns]
        nlu = statistics.median(
            _median_ms(lambda t=t: client.post(f"{rasa}/model/parse", params=rasa_params(), json={"text": t}), 5)
            for t in texts)
        action_ms = {name: _median_ms(lambda n=name, tr=tr: client.post(
            f"{actions_url}/webhook", json={"next_action": n, "sender_id": tr["sender_id"], "tracker": tr,
                                             "domain": domain, "version": "3.6.21"})) for name, tr in actions.items()}
        nlg_ms = {name: _median_ms(lambda n=name, tr=tr: client.post(
            f"{web}/nlg", params=rasa_params(),
            json={"response": n, "arguments": {}, "tracker": tr, "channel": {"name": "rest"}}))
            for name, tr in responses.items()}
        sample = trackers[0]["sender_id"]
        tracker_ms = _median_ms(lambda: client.get(f"{rasa}/conversations/{sample}/tracker", params=rasa_params()))
    per_turn_actions, per_turn_nlg = action_calls / turns, nlg_calls / turns
    action_avg = statistics.mean(action_ms.values()) if action_ms else 0.0
    nlg_avg = statistics.mean(nlg_ms.values()) if nlg_ms else 0.0
    turn_p50 = round(statistics.median(turn_times) * 1000, 2)
    parts = {"nlu_ms": round(nlu, 2), "actions_ms": round(per_turn_actions * action_avg, 2),
             "nlg_ms": round(per_turn_nlg * nlg_avg, 2), "tracker_read_ms": tracker_ms}
    return {
        "turn_p50_ms": turn_p50, "turns": turns,
        "action_calls_per_turn": round(per_turn_actions, 2), "nlg_calls_per_turn": round(per_turn_nlg, 2),
        "per_turn": {**parts, "rest_ms": round(turn_p50 - sum(parts.values()), 2)},
        "action_ms": dict(sorted(action_ms.items(), key=lambda kv: -kv[1])),
        "nlg_ms": dict(sorted(nlg_ms.items(), key=lambda kv: -kv[1])),
    }
