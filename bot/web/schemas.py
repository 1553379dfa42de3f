"""JSON schemas of the web app's request bodies (one per POST route that takes a body)."""
from __future__ import annotations


def _object(properties: dict, required: tuple[str, ...] = (), extra: bool = False) -> dict:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": extra}


TEXT = {"type": "string", "minLength": 1, "maxLength": 500}
SKU = {"type": "string", "minLength": 1, "maxLength": 64}
ORDER_ID = {"type": "string", "minLength": 1, "maxLength": 32}
EMPTY = _object({})

LOGIN = _object({"username": {"type": "string", "minLength": 1, "maxLength": 64},
                 "password": {"type": "string", "minLength": 1, "maxLength": 200}}, ("username", "password"))
ORDER = _object({
    "items": {"type": "array", "minItems": 1, "maxItems": 50, "items": _object(
        {"sku": SKU, "qty": {"type": "integer", "minimum": 1, "maximum": 99}}, ("sku",))},
    "agent_id": {"type": ["string", "null"], "maxLength": 64},
}, ("items",))
STOCK = _object({"stock": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}, ("stock",))
DELAY = _object({"extra_days": {"type": "integer", "minimum": 1, "maximum": 60},
                 "key": {"type": "string", "minLength": 1, "maxLength": 64}}, ("extra_days",))
NOTIFY = _object({"order_id": ORDER_ID, "amount": {"type": "number", "minimum": 0, "maximum": 10_000_000},
                  "trade_no": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_.:-]+$"}},
                 ("order_id", "amount", "trade_no"), extra=True)
TRAINING_START = _object({"scenario": {"type": "string", "minLength": 1, "maxLength": 64},
                          "trainee": {"type": "string", "maxLength": 64}}, ("scenario",))
TRAINING_REPLY = _object({"text": TEXT, "client_seconds": {"type": ["number", "null"], "minimum": 0,
                                                           "maximum": 86400}}, ("text",))
CONVERSATION = {"type": "string", "minLength": 1, "maxLength": 128}
AGENT_MESSAGE = _object({"text": TEXT, "cards": {"type": "array", "maxItems": 3, "items": SKU}}, ("text",))
DRAFT_CHECK = _object({"text": {"type": "string", "maxLength": 500}, "conversation_id": CONVERSATION}, ("text",))
NLG = {"type": "object", "properties": {
    "response": {"type": "string", "maxLength": 100},
    "arguments": {"type": "object"}, "channel": {"type": "object"},
    "tracker": {"type": "object", "properties": {
        "sender_id": {"type": "string"}, "slots": {"type": "object"}, "latest_message": {"type": "object"},
        "events": {"type": "array", "items": {"type": "object"}}}},
}}
SETTINGS_EDIT = _object({"text": {"type": "string", "maxLength": 200_000},
                         "base": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}, ("text", "base"))
STAFF_ADD = _object({"username": {"type": "string", "minLength": 1, "maxLength": 64},
                     "role": {"enum": ["manager", "agent", "trainee"]},
                     "password": {"type": "string", "maxLength": 72}}, ("username", "role"))
# Actions with wide effects need the page's explicit confirmation value in the body.
DEMO_REMOVE = _object({"confirm": {"const": "remove-demo-data"}}, ("confirm",))
TRAINING_RUN = _object({"confirm": {"const": "train"}}, ("confirm",))
