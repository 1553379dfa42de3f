"""Answers from the store's shipping, return and promotion settings, as typed results."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.store.config import StoreConfig

COD_WORDS = ("货到付款", "到付", "货到")
FREE_SHIPPING_WORDS = ("包邮", "运费", "邮费", "免邮")
SAME_DAY_WORDS = ("当天到", "今天到", "当日达", "今天能到", "当天能到", "当天送到", "次日达", "明天能到")
URGENT_WORDS = ("急用", "着急", "急着", "赶时间", "来得及", "赶得上", "赶不上", "加急", "明天要", "后天要", "周末要",
                "急需", "等着用")
CUSTOM_WORDS = ("定制", "印字", "刻字", "印logo", "印LOGO", "改尺寸", "订做", "定做")


@dataclass(frozen=True)
class PolicyAnswer:
    kind: str
    values: dict[str, str] = field(default_factory=dict)


def shipping_values(store: StoreConfig) -> dict[str, str]:
    s = store.shipping
    return {
        "carrier": str(s.get("carrier", "")),
        "delivery_days": str(s.get("delivery_days", "")),
        "ship_within_hours": str(s.get("ship_within_hours", "")),
        "cutoff": str(s.get("same_day_cutoff", "")),
        "free_shipping_threshold": f"{s.get('free_shipping_threshold', '')}",
        "remote_extra_days": str(s.get("remote_extra_days", "")),
        "remote_shipping_fee": str(s.get("remote_shipping_fee", "")),
    }


def shipping_answer(store: StoreConfig, text: str) -> PolicyAnswer:
    """general | free_shipping | remote | same_day | same_day_alternative | urgent | cod_alternative."""
    values = shipping_values(store)
    if any(w in text for w in COD_WORDS) and not store.shipping.get("cash_on_delivery"):
        return PolicyAnswer("cod_alternative", values)
    remote = next((area for area in store.shipping.get("remote_areas", []) if area in text), None)
    if remote:
        return PolicyAnswer("remote", {**values, "scene": remote})
    city = next((c for c in store.shipping.get("same_day_delivery_cities", []) if c in text), None)
    if any(w in text for w in SAME_DAY_WORDS):
        return PolicyAnswer("same_day" if city else "same_day_alternative", values)
    if any(w in text for w in URGENT_WORDS):              # 我急用 后天要穿: the fastest we can do, honestly
        return PolicyAnswer("same_day" if city else "urgent", values)
    if any(w in text for w in FREE_SHIPPING_WORDS) and values["free_shipping_threshold"]:
        return PolicyAnswer("free_shipping", values)         # 包邮吗: the threshold, said every time
    return PolicyAnswer("general", values)


ReturnKind = Literal["general", "exchange", "quality", "general_insured", "exchange_insured"]
SHIPPING_COST_WORDS = ("运费", "邮费", "快递费", "寄回")


def return_values(store: StoreConfig) -> dict[str, str]:
    """The return promise every script may quote: days for no-reason returns and for exchanges."""
    r = store.returns
    return {"no_reason_days": str(r.get("no_reason_days", 7)), "exchange_days": str(r.get("exchange_days", 15))}


def return_answer(store: StoreConfig, text: str) -> PolicyAnswer:
    values = return_values(store)
    if any(w in text for w in ("质量", "坏", "破", "瑕疵", "起球", "掉色", "开线")):
        return PolicyAnswer("quality", values)
    kind = "exchange" if any(w in text for w in ("换", "尺码不对", "不合适")) else "general"
    if any(w in text for w in SHIPPING_COST_WORDS) and store.returns.get("return_shipping_insurance"):
        kind += "_insured"                          # 换小一码，运费谁出: the shipping insurance answers it
    return PolicyAnswer(kind, values)


def promise_values(store: StoreConfig) -> dict[str, str]:
    """The shipping and return promises every script may quote."""
    return {**shipping_values(store), **return_values(store)}


def service_values(store: StoreConfig) -> dict[str, object]:
    """Every service fact of the store an answer may name: the shipping and return promises and the promotions."""
    return {**promise_values(store), **promotion_values(store)}


def promotion_values(store: StoreConfig) -> dict[str, object]:
    """Structured values; the script library formats lists and records (see `*_item` fragments)."""
    p = store.promotions
    reductions = p.get("full_reduction") or []
    coupons = p.get("coupons") or []
    values: dict[str, object] = {}
    if reductions:
        values["promotion"] = [{"threshold": r["threshold"], "off": r["off"]} for r in reductions]
        values["threshold"], values["saving"] = str(reductions[0]["threshold"]), str(reductions[0]["off"])
    if coupons:
        values["coupon"] = {"amount": coupons[0]["amount"], "min_spend": coupons[0]["min_spend"]}
    if p.get("pay_now_gift"):
        values["gift"] = p["pay_now_gift"]["name"]
    return values


def reduction_reached(store: StoreConfig, total: float) -> dict[str, str] | None:
    """The best 满减 tier an order of `total` reaches, as script values (None below the first tier)."""
    tiers = sorted(store.promotions.get("full_reduction") or [], key=lambda r: r["threshold"])
    reached = [r for r in tiers if total >= r["threshold"]]
    if not reached:
        return None
    best = reached[-1]
    return {"threshold": f"{best['threshold']:g}", "saving": f"{best['off']:g}", "deal_price": f"{total - best['off']:g}"}


COUPON_WORDS = ("券", "红包", "优惠码", "折扣码")


def asks_for_coupon(text: str) -> bool:
    """有优惠券吗 / 有红包吗: a coupon is asked for, not only any discount."""
    return any(w in (text or "") for w in COUPON_WORDS)


def wants_customisation(text: str) -> bool:
    return any(w in text for w in CUSTOM_WORDS)
