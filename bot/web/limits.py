"""Request limits: a size cap and a JSON-schema check (jsonschema) in front of every JSON POST handler.

A handler decorated with `@validated(SCHEMA)` receives the checked body as `body`; anything else gets 400 (not
JSON, wrong shape) or 413 (too large) with a message saying what was wrong, never a 500.
"""
from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
from sanic import response
from sanic.request import Request

MAX_BODY_BYTES = 16 * 1024          # API bodies; the app-wide cap (REQUEST_MAX_SIZE) is larger for /nlg
REQUEST_MAX_SIZE = 2 * 1024 * 1024  # Rasa's NLG requests carry the whole tracker


def _problem(message: str, status: int = 400):
    return response.json({"error": message}, status=status)


def _describe(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "body"
    return f"{where}: {error.message[:200]}"


def parse_body(request: Request, schema: dict[str, Any] | None, max_bytes: int) -> tuple[Any, Any]:
    """(body, None) when the request passes; (None, error response) otherwise."""
    raw = request.body or b""
    if len(raw) > max_bytes:
        return None, _problem(f"request body over {max_bytes} bytes", 413)
    if not raw.strip():
        body: Any = {}
    else:
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return None, _problem("request body must be JSON")
    if schema is not None:
        error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(schema).iter_errors(body))
        if error is not None:
            return None, _problem(_describe(error))
    return body, None


def validated(schema: dict[str, Any] | None, max_bytes: int = MAX_BODY_BYTES):
    """Decorator for JSON POST handlers: `async def handler(request, ..., body)`."""
    def wrap(handler):
        @functools.wraps(handler)
        async def checked(request: Request, *args: Any, **kwargs: Any):
            body, problem = parse_body(request, schema, max_bytes)
            if problem is not None:
                return problem
            return await handler(request, *args, body=body, **kwargs)
        return checked
    return wrap
