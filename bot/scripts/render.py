"""Pick and fill a script variant; the reply guard replaces any variant that breaks the service rules."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from bot.rules.checks import ReplyContext, Violation, check_reply
from bot.rules.repeats import is_repeat
from bot.scripts.loader import ScriptLibrary
from bot.scripts.placeholders import fill, placeholders_in
from bot.scripts.punctuation import join_list, repeats_a_phrase, tidy
from bot.scripts.responses import ScriptResponse, Variant

log = logging.getLogger("store.guard")

GUARD_FALLBACK = "utter_guard_fallback"


@dataclass(frozen=True)
class RenderRequest:
    response: str
    values: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None
    previous_texts: tuple[str, ...] = ()
    conversation_id: str = ""
    style: str = "lively"
    situation: str | None = None
    shopper_text: str | None = None
    extra_buttons: tuple[dict, ...] = ()    # the action's own quick replies (product picks, likely readings)


@dataclass(frozen=True)
class Rendered:
    response: str
    text: str
    buttons: list[dict]
    variant: int
    rejected: tuple[tuple[str, tuple[Violation, ...]], ...] = ()


def _eligible(response: ScriptResponse, channel: str | None, style: str) -> list[tuple[int, Variant]]:
    indexed = list(enumerate(response.variants))
    on_channel = [(i, v) for i, v in indexed if v.channel and v.channel == channel]
    pool = on_channel or [(i, v) for i, v in indexed if not v.channel]
    styled = [(i, v) for i, v in pool if v.style in (None, style)]
    return styled or pool


def _rotation(items: list, request: RenderRequest) -> list:
    """Start at a per-conversation offset so different shoppers see different wording."""
    if not items:
        return items
    digest = hashlib.blake2s(f"{request.conversation_id}/{request.response}".encode(), digest_size=4).digest()
    offset = int.from_bytes(digest, "big") % len(items)
    return items[offset:] + items[:offset]


def format_value(library: ScriptLibrary, key: str, value: Any) -> str:
    """Scalars as they are; records through the `<key>_<kind>`, `<key>_item` or `<key>_default` fragment (their
    own values formatted the same way); lists joined."""
    if isinstance(value, dict):
        fragments = library.fragments
        template = (fragments.get(f"{key}_{value.get('kind')}") or fragments.get(f"{key}_item")
                    or fragments.get(f"{key}_default"))
        return fill(template, {k: format_value(library, k, v) for k, v in value.items()}) if template else ""
    if isinstance(value, (list, tuple)):
        parts = [format_value(library, key, item) for item in value]
        return join_list(parts, library.fragments.get("list_separator", "、"), library.fragments.get("list_last_separator"))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _values(library: ScriptLibrary, request: RenderRequest) -> dict[str, str]:
    formatted = {k: format_value(library, k, v) for k, v in request.values.items() if v is not None}
    return {k: v for k, v in formatted.items() if v != ""}


def _fill_buttons(buttons: tuple[dict, ...], values: dict[str, str]) -> list[dict]:
    """The response's quick replies; one with `when: sizes` only where the reply has that value (a sized item)."""
    return [{"title": fill(b["title"], values), "payload": fill(b["payload"], values)}
            for b in buttons if not b.get("when") or b["when"] in values]


def _extra_buttons(library: ScriptLibrary, request: RenderRequest) -> list[dict]:
    """Quick replies the action asked for; a `fragment` names the library text used as the title."""
    found = []
    for button in request.extra_buttons:
        title = library.fragments.get(button["fragment"], "") if button.get("fragment") else button.get("title")
        if title and button.get("payload"):
            found.append({"title": str(title), "payload": str(button["payload"])})
    return found


def render(library: ScriptLibrary, request: RenderRequest) -> Rendered:
    """Return the first variant that fits, is complete, is new to this conversation and passes the rules."""
    response = library.responses.get(request.response)
    if response is None:
        log.error("response %s is missing from the script library", request.response)
        response = library.responses.get(GUARD_FALLBACK)
        if response is None:
            log.error("%s is missing too: nothing to send for %s", GUARD_FALLBACK, request.response)
            return Rendered(request.response, "", [], -1)
    values = _values(library, request)
    context = ReplyContext(
        situation=response.situation or request.situation,
        style=request.style,
        shopper_text=request.shopper_text or "",  # repeats are skipped below, before the guard runs
        check_warmth=False,
    )
    rejected: list[tuple[str, tuple[Violation, ...]]] = []
    repetitive: list[Rendered] = []          # usable, but a phrase comes twice: only when nothing else fits
    for index, variant in _rotation(_eligible(response, request.channel, request.style), request):
        if placeholders_in(variant.text) - values.keys():
            continue
        text = tidy(fill(variant.text, values))
        if is_repeat(text, request.previous_texts):
            continue
        violations = tuple(v for v in check_reply(text, context) if v.severity == "error")
        if violations:
            rejected.append((text, violations))
            log.warning("reply guard replaced %s variant %d: %r (%s)", response.name, index, text,
                        "; ".join(v.message for v in violations))
            continue
        buttons = _fill_buttons(variant.buttons or response.buttons, values) + _extra_buttons(library, request)
        if repeats_a_phrase(text):
            repetitive.append(Rendered(response.name, text, buttons, index))
            continue
        return Rendered(response.name, text, buttons, index, tuple(rejected))
    if repetitive:
        first = repetitive[0]
        return Rendered(first.response, first.text, first.buttons, first.variant, tuple(rejected))
    if response.name != GUARD_FALLBACK:
        log.warning("no usable variant of %s for %s; using %s", response.name, request.conversation_id, GUARD_FALLBACK)
        fallback = render(library, RenderRequest(**{**request.__dict__, "response": GUARD_FALLBACK}))
        return Rendered(response.name, fallback.text, fallback.buttons, -1, tuple(rejected) + fallback.rejected)
    return Rendered(response.name, "", [], -1, tuple(rejected))
