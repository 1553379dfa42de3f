"""Complaint kinds, each with its own concrete remedy in the script library."""
from __future__ import annotations

from typing import Literal

ComplaintKind = Literal["wrong_item", "quality", "late", "service", "general"]

_KEYWORDS: tuple[tuple[ComplaintKind, tuple[str, ...]], ...] = (
    ("wrong_item", ("发错", "错了", "不是我买的", "少发", "漏发", "颜色不对", "尺码不对", "型号不对", "收到的却是",
                    "收到的竟然是", "寄错", "发成了", "发成", "给我发了个", "和我买的不一样", "跟我买的不一样")),
    ("quality", ("质量", "破", "坏", "起球", "掉色", "开线", "瑕疵", "有洞", "脏", "漏", "异味", "臭", "假货")),
    ("late", ("还没到", "太慢", "没发货", "物流", "快递慢", "几天了", "不动")),
    ("service", ("态度", "不理人", "没人回", "敷衍", "客服")),
)


def classify_complaint(text: str) -> ComplaintKind:
    for kind, words in _KEYWORDS:
        if any(word in text for word in words):
            return kind
    return "general"
