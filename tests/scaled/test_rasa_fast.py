"""The Rasa launcher of the scaled setup and the benchmark (bot.ops.rasa_fast) judges action-server and NLG
answers exactly as Rasa does: the same answers pass, the same broken answers fail with the same error."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import nlg_response_format_spec

from bot.ops.rasa_fast import _original_validate, cached_validate

pytestmark = pytest.mark.scaled

ACTION_SPEC = RemoteAction.action_response_format_spec()
CASES = [
    (ACTION_SPEC, {"events": [{"event": "slot", "name": "product", "value": "T01"}],
                   "responses": [{"response": "utter_greet"}]}),
    (ACTION_SPEC, {"events": "not a list", "responses": []}),
    (ACTION_SPEC, {"events": [{"no_event_key": 1}], "responses": []}),
    (nlg_response_format_spec(), {"text": "亲，在的哦 😊", "buttons": None}),
    (nlg_response_format_spec(), {"text": 42}),
    (nlg_response_format_spec(), {"buttons": [{"title": "好的"}]}),
]


def _outcome(validate, instance, schema):
    try:
        validate(instance, schema)
        return None
    except jsonschema.ValidationError as error:
        return (error.message, list(error.path), list(error.schema_path))


@pytest.mark.parametrize("schema, answer", CASES)
def test_answers_are_judged_as_rasa_judges_them(schema, answer):
    expected = _outcome(_original_validate, answer, schema)
    assert _outcome(cached_validate, answer, schema) == expected
    assert _outcome(cached_validate, answer, schema) == expected  # second time: from the cache


def test_a_broken_schema_is_still_refused():
    with pytest.raises(jsonschema.SchemaError):
        cached_validate({}, {"type": "no-such-type"})
