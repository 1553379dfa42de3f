"""The agent's live draft check: the shared service rules (bot/rules) applied to what a human is about to send,
in the conversation's situation, each finding worded for the agent with a better way to say it."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

from bot.conversation.events import intent_of, shopper_events
from bot.handoff.service import HUMAN_AGENT_KEY
from bot.rules.checks import ReplyContext, check_reply
from bot.rules.tone import has_apology
from bot.scripts.loader import ScriptLibrary

# The shopper's latest intent (or the handoff's reason) puts the reply in a situation the rules know.
SITUATIONS = {"complain": "complaint", "return_refund": "complaint", "escalation": "complaint",
              "bargain": "bargain", "ask_discount": "bargain"}


@dataclass(frozen=True)
class Finding:
    rule: str
    reason: str
    better: str
    span: str = ""
    severity: str = "error"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DraftContext:
    situation: str | None = None
    previous_texts: tuple[str, ...] = ()      # what the bot and agents already said in this chat
    shopper_text: str = ""
    apologised: bool = False                  # a human already apologised: later replies move on to the remedy


def shopper_text_of(event: dict[str, Any]) -> str:
    return (event.get("metadata") or {}).get("display_text") or event.get("text") or ""


def context_from(events: Sequence[dict[str, Any]], reason: str | None = None) -> DraftContext:
    """The draft's situation from the shopper's latest intent (or the handoff's reason) and what was said."""
    said = shopper_events(events)
    intent = intent_of(said[-1]) if said else None
    situation = SITUATIONS.get(intent or "") or SITUATIONS.get(reason or "")
    previous = tuple(e.get("text") or "" for e in events if e.get("event") == "bot" and e.get("text"))
    agents = [e.get("text") or "" for e in events if e.get("event") == "bot" and (e.get("metadata") or {}).get(HUMAN_AGENT_KEY)]
    return DraftContext(situation, previous, shopper_text_of(said[-1]) if said else "",
                        any(has_apology(t) for t in agents))


def check_draft(text: str, context: DraftContext, library: ScriptLibrary, style: str = "lively") -> list[Finding]:
    """Every rule the draft breaks, once per rule, with the reason and a better wording from the library."""
    rules = ReplyContext(situation=context.situation, style=style, previous_bot_texts=context.previous_texts,
                         shopper_text=context.shopper_text)
    findings: dict[str, Finding] = {}
    for violation in check_reply(text.strip(), rules):
        if violation.rule == "no_apology" and context.apologised:
            continue
        if violation.rule in findings:
            continue
        reason = library.fragment(f"assist_reason_{violation.rule}", span=violation.span) or violation.message
        findings[violation.rule] = Finding(violation.rule, reason, library.fragment(f"assist_better_{violation.rule}"),
                                           violation.span, violation.severity)
    return list(findings.values())
