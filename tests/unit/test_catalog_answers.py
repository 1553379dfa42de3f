"""Reading a shopper's product question: height and weight given for a size."""
from __future__ import annotations

from bot.catalog.answers import gives_body_measures


def test_height_or_weight_in_a_follow_up_asks_for_a_size() -> None:
    assert gives_body_measures("有XL吗？他175，150斤") and gives_body_measures("身高165")
    assert gives_body_measures("我60kg穿什么码")
    assert not gives_body_measures("那20寸的呢") and not gives_body_measures("第2个多少钱")
