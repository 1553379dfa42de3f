"""Answers about one product, as typed results; actions map them to script-library responses."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.catalog.products import ProductView

_TOPICS = (
    ("colors", re.compile(r"颜色|色号|配色|什么色|几种色|哪些色|几个色")),
    ("washing", re.compile(r"洗|清洁|保养|打理")),
    ("material", re.compile(r"材质|面料|料子|布料|成分|什么做的|什么材料|纯棉|棉的")),
    ("fit", re.compile(r"适合|合适|上班穿|显胖|显瘦|显脸|好看吗|会不会太|露不露|太露|正式")),
)


def info_topic(text: str, product: ProductView) -> str:
    """Which detail a product question asks about: colors, material, washing, or the general description."""
    for topic, pattern in _TOPICS:
        if pattern.search(text or "") and (topic != "colors" or product.attributes.get("colors")):
            return topic if topic in ("colors", "fit") or product.attributes.get(topic) else "general"
    return "general"


def asked_attribute(text: str, product: ProductView, cues: Mapping[str, Sequence[str]]) -> str | None:
    """The product detail a question names by a manager's cue words (敏感肌 → skin), if the product has it."""
    said = (text or "").lower()
    for key, words in cues.items():
        value = product.attributes.get(key)
        if isinstance(value, (str, int, float)) and str(value) and any(w.lower() in said for w in words or ()):
            return key
    return None


_SIZE_CUE = re.compile(r"码|尺|号|大小|多大|身高|体重|斤|公斤|kg|cm|厘米|胖|瘦|紧|松|腰围|胸围|\d|\b(?:X*S|M|X*L)\b", re.I)


def mentions_size(text: str) -> bool:
    """Does the message talk about size at all? (V领的会不会太露 is a question about the item, not its size.)"""
    return bool(_SIZE_CUE.search(text or ""))


_SIZE_WORRY = re.compile(r"怕|担心|不合适|穿不了|拿不准|选不好|不知道选|纠结")


def worries_about_size(text: str) -> bool:
    """怕尺码不合适: the shopper fears a wrong size; reassurance (free exchange) comes before the size chart."""
    return bool(_SIZE_WORRY.search(text or ""))


_AVAILABILITY = re.compile(r"有吗|有没有|还有|有货|有的吗|有么|有嘛|卖完|断货")


def asks_availability(text: str, product: ProductView) -> bool:
    """A size question about an item without sizes that asks whether it exists (24寸的有吗) is a stock question."""
    return not product.attributes.get("sizes") and bool(_AVAILABILITY.search(text or ""))


def restock_values(product: ProductView) -> dict[str, str]:
    """The expected restock date of a sold-out product as script placeholders (none when unknown)."""
    if product.in_stock or product.restock_date is None:
        return {}
    return {"restock_month": str(product.restock_date.month), "restock_day": str(product.restock_date.day)}


@dataclass(frozen=True)
class StockAnswer:
    kind: Literal["available", "low", "out", "color_missing", "size_missing"]
    product: ProductView
    color: str | None = None
    size: str | None = None


def listed_size(sizes: Sequence[str], size: str) -> str | None:
    """The listed size that holds the one asked (37 is in 37-38 and in 均码35-40; m is M), else None."""
    wanted = size.strip().upper()
    for listed in sizes:
        if listed.upper() == wanted:
            return listed
    if wanted.isdigit():
        for listed in sizes:
            if (found := _RANGE.search(listed)) and int(found.group(1)) <= int(wanted) <= int(found.group(2)):
                return listed
    return None


_SHOE_SIZE = re.compile(r"(?<![0-9.])(3[4-9]|4[0-6])\s*(?:码|号)")


def shoe_size_in(text: str) -> str | None:
    """A shoe size typed with 码 (41码呢), which the NLU may read as a price."""
    found = _SHOE_SIZE.search(text or "")
    return found.group(1) if found else None


def options_with_size(products: Sequence[ProductView], size: str) -> list[ProductView]:
    """The products just offered that come in the size asked (37码有吗 after three shoes)."""
    return [p for p in products if listed_size(p.attributes.get("sizes") or [], size)]


def sizes_offered(products: Sequence[ProductView]) -> list[str]:
    """The sizes of the products, shortly: one span for shoe sizes (35-40), else each size once, in order."""
    sizes = list(dict.fromkeys(s for p in products for s in p.attributes.get("sizes") or []))
    numbers = [int(n) for s in sizes for n in re.findall(r"\d+", s)]
    if sizes and all(re.fullmatch(r"\d+(?:\s*-\s*\d+)?", s) for s in sizes):
        return [f"{min(numbers)}-{max(numbers)}" if min(numbers) != max(numbers) else str(numbers[0])]
    return sizes


def stock_answer(product: ProductView, color: str | None = None, size: str | None = None) -> StockAnswer:
    colors = product.attributes.get("colors") or []
    sizes = product.attributes.get("sizes") or []
    if color and colors and color not in colors:
        return StockAnswer("color_missing", product, color=color)
    if size and sizes and listed_size(sizes, size) is None:
        return StockAnswer("size_missing", product, size=size)
    if not product.in_stock:
        return StockAnswer("out", product, color, size)
    return StockAnswer("low" if product.low_stock else "available", product, color, size)


@dataclass(frozen=True)
class SizeAnswer:
    kind: Literal["chart", "available", "missing", "advice", "one_size", "dimensions"]
    product: ProductView
    size: str | None = None
    advice: str | None = None


_HEIGHT = re.compile(r"(?:身高|高)?\s*(1[4-9]\d)\s*(?:cm|厘米|公分)?", re.I)
_WEIGHT = re.compile(r"(?:体重|重)?\s*(\d{2,3})\s*(斤|kg|公斤|KG)")
_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")


_STATED_HEIGHT = re.compile(r"身高\s*\d|1[4-9]\d\s*(?:cm|厘米|公分)", re.I)


def gives_body_measures(text: str) -> bool:
    """他175，150斤 / 身高165: the shopper's height or weight, for a size advice."""
    return bool(_WEIGHT.search(text or "") or _STATED_HEIGHT.search(text or ""))


def _chart_ranges(line: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in _RANGE.findall(line)]


_GUIDE_ENTRY = re.compile(r"(X*[SML]|X*L)\s*(\d+\s*-\s*\d+\s*kg)", re.I)


def _guide_chart(product: ProductView) -> dict[str, str]:
    """A one-line size guide (纸尿裤: "S 4-8kg, M 6-11kg, …") read as a size chart."""
    guide = product.attributes.get("size_guide")
    return {size.upper(): rng for size, rng in _GUIDE_ENTRY.findall(guide)} if isinstance(guide, str) else {}


def advise_size(product: ProductView, text: str) -> tuple[str, str] | None:
    """Pick a size from the size chart for a height/weight the shopper typed, e.g. 身高165 体重110斤."""
    chart: dict[str, str] = product.attributes.get("size_chart") or _guide_chart(product)
    height_match, weight_match = _HEIGHT.search(text or ""), _WEIGHT.search(text or "")
    if not chart or not (height_match or weight_match):
        return None
    height = int(height_match.group(1)) if height_match else None
    weight = None
    if weight_match:
        weight = int(weight_match.group(1)) / (2 if weight_match.group(2) == "斤" else 1)
    best, best_score = None, -1
    for size, line in chart.items():
        ranges = _chart_ranges(line)
        score = 0
        for low, high in ranges:
            if height and low >= 100 and low <= height <= high:
                score += 2
            if weight and low < 100 and low <= weight <= high:
                score += 1
        if score > best_score:
            best, best_score = size, score
    return (best, chart[best]) if best and best_score > 0 else None


def size_answer(product: ProductView, size: str | None = None, text: str = "") -> SizeAnswer:
    sizes = product.attributes.get("sizes") or []
    if not sizes:
        spec = product.attributes.get("size")       # a case or a bag: its measure (24寸，需托运), not 均码
        return SizeAnswer("dimensions", product, size=spec) if isinstance(spec, str) and spec else \
            SizeAnswer("one_size", product)
    advice = advise_size(product, text)
    if advice:
        return SizeAnswer("advice", product, size=advice[0], advice=f"{advice[0]}({advice[1]})")
    if size:
        listed = listed_size(sizes, size)
        return SizeAnswer("available", product, size=listed) if listed else SizeAnswer("missing", product, size=size)
    return SizeAnswer("chart", product)


def product_values(product: ProductView) -> dict[str, object]:
    """Placeholder values that describe a product; lists are joined by the script library."""
    attrs = product.attributes
    listed = {"colors", "sizes", "size_chart", "material", "washing", "wearer"}
    details = [str(v) for k, v in attrs.items() if k not in listed and isinstance(v, (str, int, float))]
    values = {
        "product": product.name,
        "sku": product.sku,
        "price": f"{product.price:g}",
        "stock": str(product.stock),
        "description": product.description,
        "material": attrs.get("material", ""),
        "washing": attrs.get("washing", ""),
        "details": details,
        "colors": list(attrs.get("colors") or []),
        "sizes": list(attrs.get("sizes") or []),
    }
    return {k: v for k, v in values.items() if v}
