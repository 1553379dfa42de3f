"""Split a shopper's message into the requests it carries (能开发票吗？明天能到吗 → two asks).

A message with one request stays whole (its greeting and context clauses help the NLU). With two or more
question clauses, each becomes one ask, carrying the statements in front of it as context; a clause that is
only a greeting is dropped. At most `MAX_ASKS` asks; the rest joins the last one.
"""
from __future__ import annotations

import re

MAX_ASKS = 3
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")
_CLAUSE = re.compile(r"[^，,]+[，,]*")
_QUESTION = re.compile(
    r"[吗么嘛][\s~～]*$|[？?]|多少|多久|几天|几号|什么|啥|咋|怎么|怎样|如何|哪|能不能|可不可以|可以.*[吗么]|有没有|"
    r"是不是|会不会|要不要|行不行|好不好|支不支持|包不包")
_PLEASANTRY = re.compile(
    r"^(?:(?:你好|您好|哈喽|hello|hi|嗨|在吗|在不在|在么|在嘛|亲亲|亲们|亲|老板过年好|老板|掌柜的?|客服|小姐姐|小哥哥|"
    r"美女|新年好|早上好|中午好|晚上好|打扰了|打扰一下|麻烦问一下|请问|问一下|那个)[\s~～!！,，。.?？]*)+$", re.I)


def _pieces(text: str) -> list[str]:
    """Sentences, and inside a sentence the comma clauses when more than one of them asks something."""
    pieces: list[str] = []
    for sentence in _SENTENCE.findall(text):
        clauses = _CLAUSE.findall(sentence)
        asking = [c for c in clauses if is_question(c)]
        pieces.extend(clauses if len(asking) > 1 else [sentence])
    return [p for p in pieces if p.strip()]


def is_question(piece: str) -> bool:
    """Does this clause ask something (吗 at the end, a question mark, 多少 / 怎么 / 有没有 …), not only greet?"""
    body = piece.strip(" ，,。")
    return bool(body) and not _PLEASANTRY.match(body) and bool(_QUESTION.search(body))


def split_asks(text: str) -> list[str]:
    """The asks of a message, in order; a message with fewer than two asks comes back whole."""
    pieces = _pieces(text or "")
    if sum(is_question(p) for p in pieces) < 2:
        return [text]
    asks: list[str] = []
    context = ""
    for piece in pieces:
        if _PLEASANTRY.match(piece.strip()):
            continue
        if is_question(piece) and len(asks) < MAX_ASKS:
            asks.append((context + piece).strip(" ，,"))
            context = ""
        elif is_question(piece) or not asks or context:
            context += piece
            if asks and len(asks) == MAX_ASKS:
                asks[-1] += context
                context = ""
        else:
            asks[-1] += piece                   # a statement after an ask explains it: 我后天需要用
    if context:
        asks[-1] += context
    return [a.strip(" ，,") for a in asks if a.strip(" ，,")]


_DECISION = re.compile(r"^(?:那|那就|好的?|行)?[,，\s]*(?:我)?(?:就)?(?:要|买|拍|来一?[个件只双])(?!不要|吗|么)")


def is_decision(text: str) -> bool:
    """Does a short pick say the shopper takes it (那我要20寸的 / 就要黑色的), rather than ask about it?"""
    body = (text or "").strip()
    return bool(_DECISION.match(body)) and not is_question(body)


_TAKES_ALL = re.compile(r"(?:都|全|全部|([两三四五俩仨2-5])[个件样款]都|一起)(?:都)?(?:要|买|拍|下单|来一?[份个件])")
_NUMBERS = {"两": 2, "二": 2, "俩": 2, "三": 3, "仨": 3, "四": 4, "五": 5, "六": 6}


def _number(match: re.Match[str] | None) -> int | None:
    """The number a pattern's first group caught, in digits or words (两 / 3)."""
    word = match.group(1) if match else None
    return (_NUMBERS.get(word) or int(word)) if word else None


def takes_all(text: str) -> bool:
    """都要了 / 三个都要 / 全都买: the shopper takes every item just shown (都要多少钱 asks, 都不要 declines)."""
    body = (text or "").strip()
    return bool(_TAKES_ALL.search(body)) and not is_question(body)


def count_taken(text: str) -> int | None:
    """How many items 两个都要 takes (None when the shopper gives no number)."""
    return _number(_TAKES_ALL.search(text or ""))


_JOINS = re.compile(r"和|跟|还有|以及|加上|再来|、|，|,|\+|各")


def joins_items(text: str) -> bool:
    """Could the message name several items together (保温杯和雨伞 / 泳衣、拖鞋)? A cheap test before the catalog."""
    return bool(_JOINS.search(text or ""))


_QUANTITY = re.compile(r"(?<![0-9.])([2-9]|两|二|三|四|五|六|俩|仨)\s*(?:双|件|个|条|瓶|包|袋|盒|支|套|顶|只|份|箱|桶)")
def quantity_in(text: str) -> int | None:
    """How many pieces a purchase asks for (要两双 / 来3件), None for one or no number."""
    return _number(_QUANTITY.search(text or ""))


_ORDER_WORDS = re.compile(r"订单|单号|物流|到哪|发货了[吗没]|发了[吗没]|我买的|我拍的|我下的")


def names_an_order(text: str) -> bool:
    """Does the shopper speak of an order they placed (我的订单到哪了), not of buying (什么时候能到)?"""
    return bool(_ORDER_WORDS.search(text or ""))


_NUMBER_RUN = re.compile(r"(?<![0-9])[0-9]{6,24}(?![0-9])")


def typed_order_number(text: str) -> str | None:
    """A long number the shopper typed as an order number (even a mistyped one): 6 digits or more."""
    runs = _NUMBER_RUN.findall(text or "")
    return max(runs, key=len) if runs else None


_GOES_WITH = re.compile(r"配|搭|一起|还需要|还要买|还买|顺便|另外买")


def asks_what_goes_with(text: str) -> bool:
    """Does the shopper ask what goes with an item (保温杯配什么好), rather than for the item (想买个保温杯有推荐吗)?"""
    return bool(_GOES_WITH.search(text or ""))
