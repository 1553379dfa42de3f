"""What a trainee's reply does ("moves"), classified with the service rules and the store's own catalog.

Branching and grading never match exact strings: a reply is reduced to a set of moves such as
`acknowledges`, `conditional_concession` or `offers_latent`, and scenarios branch on those.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Protocol

from bot.catalog.products import NAME_INDEX
from bot.db.scope import unit_of_work_scope
from bot.recommendations.candidates import complements, latent, substitutes
from bot.recommendations.store_data import relations
from bot.recommendations.types import RecommendationContext
from bot.rules.negatives import find_flat_refusals
from bot.rules.tone import asks_reason, find_bare_price_cut, find_blame_or_argument, has_apology, has_warmth

RELATION_TYPES = ("substitute", "complementary", "latent")

MOVES: tuple[str, ...] = (
    "flat_refusal", "blames", "apologises", "asks_reason", "asks_question", "warm", "acknowledges",
    "stresses_value", "concession", "conditional_concession", "bare_price_cut", "offers_multibuy", "reassures",
    "remedy", "praises", "offers_product", "offers_related", "offers_substitute", "offers_complementary",
    "offers_latent", "re_engages", "recognises_return", "reminds_refill", "pressures",
)

# Cue words of agent-side moves; the service rules (bot/rules) decide refusals, blame, apology and warmth.
_ACKNOWLEDGE = re.compile(r"理解|明白|确实|是的|没错|说得对|懂您|懂你|能体会|嗯嗯|^恩|^嗯")
_VALUE = re.compile(r"一分钱一分货|品质|质量|做工|用料|面料|版型|划算|性价比|耐穿|耐用|值得|很值|效果|正品|物有所值")
_CONCESSION = re.compile(r"优惠|券|包邮|赠|送您|送一|减|折|便宜|返现|立省|省\d|省下|小礼物|换购")
_CONDITION = re.compile(r"如果|只要|的话|两件|2件|三件|多件|第二件|满\d|拍下|现在下单|今天下单|付款后|好评|晒图|一起买|一起拍|凑单|套餐")
_MULTIBUY = re.compile(r"两件|2件|三件|3件|多买|多带|囤|第二件|换着穿|一次带|多拍|多件")
_REASSURE = re.compile(r"无理由|退换|运费险|售后|保障|放心|包退|包换|安心|兜底|退货|退款|换货|换码|换尺码|"
                       r"(?:可以|能|可|随时)[退换]")
_REMEDY = re.compile(r"补发|重发|重新发|换货|换一件|退款|寄回|退货单|运费(?:由)?我们|我们(?:来)?承担|上门取件|马上(?:处理|安排)|立刻安排|优先安排")
_PRAISE = re.compile(r"眼光|有品味|会挑|真会买|太会|选得好|很适合您|很配您|气质")
_RETURN = re.compile(r"上次|上回|之前买|之前在|又来|回来|又见面|老顾客|老客|回购|再次光临|一直支持")
_REFILL = re.compile(r"用完|吃完|见底|该补|补货|备上|备一|续上|接上|断粮|断货前")
_PRESSURE = re.compile(r"赶紧|赶快|抓紧|马上下单|立刻下单|快点下单|最后一天|最后机会|错过就|再不买|手慢无|必须")
_QUESTION = re.compile(r"[？?]|吗[~～。！!]?$|呢[~～]?$|要不要|需不需要|好不好|可以吗|怎么样|哪")


@dataclass(frozen=True)
class MoveContext:
    """What the classifier knows about the conversation when a reply arrives."""

    product_sku: str | None = None
    situation: str | None = None
    style: str = "lively"
    earlier: tuple[str, ...] = ()          # the trainee's earlier replies in this conversation


class CatalogLookup(Protocol):
    def mentioned_skus(self, text: str) -> list[str]: ...
    def relation_types(self, from_sku: str, to_sku: str) -> set[str]: ...


class MoveClassifier(Protocol):
    def classify(self, text: str, context: MoveContext) -> frozenset[str]: ...


class StoreCatalog:
    """Product mentions via the catalog's name index; relation types from the curated relations, else from the
    recommender (scenes, mined co-purchases, same-category peers). Cached per product for `ttl` seconds.
    Reads join the unit of work of the turn or request grading the reply (a CLI run opens one per read)."""

    def __init__(self, ttl: float = 300.0) -> None:
        self.ttl = ttl
        self._relations: dict[str, tuple[float, dict[str, set[str]]]] = {}

    def mentioned_skus(self, text: str) -> list[str]:
        lowered = text.lower()
        taken: list[tuple[int, int]] = []
        found: list[str] = []
        with unit_of_work_scope() as uow:                # read only when the index refreshes
            names = NAME_INDEX.names(uow)
        for name, sku in names:           # longest names first
            start = lowered.find(name)
            if start < 0 or any(s < start + len(name) and start < e for s, e in taken):
                continue
            taken.append((start, start + len(name)))
            if sku not in found:
                found.append(sku)
        return found

    def relation_types(self, from_sku: str, to_sku: str) -> set[str]:
        cached = self._relations.get(from_sku)
        if cached is None or time.monotonic() - cached[0] > self.ttl:
            cached = self._relations[from_sku] = (time.monotonic(), self._load(from_sku))
        return cached[1].get(to_sku, set())

    @staticmethod
    def _load(sku: str) -> dict[str, set[str]]:
        curated: dict[str, set[str]] = {}
        found: dict[str, set[str]] = {}
        context = RecommendationContext(product_sku=sku)
        with unit_of_work_scope() as uow:                # read once per product loaded into the cache
            for type_ in RELATION_TYPES:
                for other, _reason in relations(uow, sku, type_):
                    curated.setdefault(other, set()).add(type_)
            for type_, suggest in (("substitute", substitutes), ("complementary", complements),
                                   ("latent", latent)):
                for suggestion in suggest(uow, context, limit=50):
                    found.setdefault(suggestion.product.sku, set()).add(type_)
        return {**found, **curated}                      # the store's own curation wins


class RuleMoveClassifier:
    """Default classifier: the shared service rules, cue words and the catalog (no trained model needed)."""

    def __init__(self, catalog: CatalogLookup | None = None) -> None:
        self.catalog = catalog or StoreCatalog()

    def classify(self, text: str, context: MoveContext) -> frozenset[str]:
        text = text.strip()
        moves: set[str] = set()
        checks = {
            "flat_refusal": bool(find_flat_refusals(text)),
            "blames": bool(find_blame_or_argument(text)),
            "apologises": has_apology(text),
            "asks_reason": asks_reason(text),
            "warm": has_warmth(text, context.style),
            "bare_price_cut": bool(find_bare_price_cut(text)),
            "asks_question": bool(_QUESTION.search(text)),
            "acknowledges": bool(_ACKNOWLEDGE.search(text)),
            "stresses_value": bool(_VALUE.search(text)),
            "concession": bool(_CONCESSION.search(text)),
            "offers_multibuy": bool(_MULTIBUY.search(text)),
            "reassures": bool(_REASSURE.search(text)),
            "remedy": bool(_REMEDY.search(text)),
            "praises": bool(_PRAISE.search(text)),
            "recognises_return": bool(_RETURN.search(text)),
            "reminds_refill": bool(_REFILL.search(text)),
            "pressures": bool(_PRESSURE.search(text)),
        }
        moves = {move for move, hit in checks.items() if hit}
        if "blames" in moves:
            moves.discard("apologises")       # "不是我们的问题" owns nothing
        if "flat_refusal" in moves:
            moves -= {"remedy", "reassures"}  # "不能补发" / "不能换货" offer nothing
        if "concession" in moves and _CONDITION.search(text):
            moves.add("conditional_concession")
        moves |= self._offers(text, context.product_sku, context.earlier)
        if "warm" in moves and moves & {"asks_question", "offers_product"} and not moves & {"flat_refusal", "blames"}:
            moves.add("re_engages")
        return frozenset(moves)

    def _offers(self, text: str, product_sku: str | None, earlier: tuple[str, ...]) -> set[str]:
        """Products other than the scenario's, not offered before: naming the item she just chose is no offer."""
        offered = {sku for reply in earlier for sku in self.catalog.mentioned_skus(reply)}
        others = [sku for sku in self.catalog.mentioned_skus(text) if sku != product_sku and sku not in offered]
        if not others:
            return set()
        moves = {"offers_product"}
        for sku in others:
            types = self.catalog.relation_types(product_sku, sku) if product_sku else set()
            moves |= {f"offers_{t}" for t in types}
        if moves & {f"offers_{t}" for t in RELATION_TYPES}:
            moves.add("offers_related")
        return moves
