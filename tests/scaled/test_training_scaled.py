"""Simulation mode scaled out: a practice run started on one web app is continued and finished on the other."""
from __future__ import annotations

import httpx
import pytest

from tests.scaled.test_agent_scaled import _manager
from tests.unit.training_scripts import GOOD

pytestmark = pytest.mark.scaled


def test_a_practice_run_moves_between_web_apps(deployment):
    webs = [deployment.layout.url(p) for p in deployment.layout.web_instances]
    headers = [_manager(web) for web in webs]
    started = httpx.post(f"{webs[0]}/api/training/sessions", headers=headers[0], timeout=30,
                         json={"scenario": "swimsuit_buyer", "trainee": "scaled-xiaomei"})
    assert started.status_code == 201, started.text
    run = started.json()["session_id"]
    for index, text in enumerate(GOOD["swimsuit_buyer"]):
        web = index % 2
        step = httpx.post(f"{webs[web]}/api/training/sessions/{run}/replies", headers=headers[web], timeout=30,
                          json={"text": text, "client_seconds": 2})
        assert step.status_code == 200, (webs[web], step.text)
    assert step.json()["done"] and step.json()["shopper"]["end"] == "won"
    card = httpx.post(f"{webs[1]}/api/training/sessions/{run}/finish", headers=headers[1], json={}, timeout=30)
    assert card.status_code == 200 and card.json()["passed"]
    stored = httpx.get(f"{webs[0]}/api/training/runs/{card.json()['run_id']}", headers=headers[0], timeout=30)
    assert stored.json()["trainee"] == "scaled-xiaomei"
