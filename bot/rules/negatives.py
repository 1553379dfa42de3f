"""Flat refusals (不行, 不能 ...) and negative facts said without a reframe."""
from __future__ import annotations

import re

from bot.rules.patterns import unless_redeemed

# Refusal words from the seeds plus their common variants.
_REFUSAL = re.compile(
    r"不行|不可以|不能|没办法|没有办法|没法|做不到|办不到|不支持|不接受|不知道|不清楚|无法|不可能|不提供|不允许|"
    r"不了(?![解])|不给|不退|不换|不同意|不受理|不负责"
)
# Harmless negation inside affirmative sentences.
_HARMLESS = re.compile(
    r"不能错过|不容错过|不能不|不知道该怎么感谢|没办法拒绝|不了解的|不了的话|少不了|忘不了|错不了|跑不了|"
    r"不行的话|不能的话|不可以的话|不清楚的话|不知道的话|不清楚的地方|不知道的地方|离不开|受不了的热|"
    r"不给您添麻烦|绝不(?:能|会)?让您|不换不|不退不"
)
# "能不能 / 可不可以 / 行不行 / 知不知道 / 清不清楚" are questions, not refusals.
_A_NOT_A = {"不能": "能", "不可以": "可", "不行": "行", "不知道": "知", "不清楚": "清", "不支持": "支", "不给": "给"}
_CLAUSE = re.compile(r"^[^。！!，,；;]*")
_QUESTION = re.compile(r"[吗？?]|哪|什么|多少|几|怎么|是否|有没有")


def _is_question_use(text: str, start: int, word: str) -> bool:
    """A-not-A questions, polite question openers (不知道亲喜欢哪种颜色呢) and conditions (…的话)."""
    head = _A_NOT_A.get(word)
    if head and text[max(0, start - len(head)):start] == head:
        return True
    found = _CLAUSE.match(text[start + len(word):])
    clause = found.group() if found else ""
    if "的话" in clause:
        return True  # a condition ("不清楚尺码的话 ...") leads to what the shopper can do
    return word in ("不知道", "不清楚") and bool(_QUESTION.search(clause))


def find_flat_refusals(text: str) -> list[str]:
    """Return the refusal phrases that make the reply a flat 'no'."""
    harmless = [m.span() for m in _HARMLESS.finditer(text)]
    found = []
    for match in _REFUSAL.finditer(text):
        start, end = match.span()
        if any(h_start <= start and end <= h_end for h_start, h_end in harmless):
            continue
        if _is_question_use(text, start, match.group()):
            continue
        found.append(text[max(0, start - 4):end + 4])
    return found


# Negative facts about the goods or the service.
_NEGATIVE_FACT = re.compile(
    r"没货|缺货|断货|卖完|售罄|断码|没有(?:这个|这款|那个)?(?:颜色|码|尺码|款|库存|现货)|没有[SMLX\d]+码|"
    r"不包邮|邮费自理|不退换|不能退|不能换|发不了|到不了|不发货|太贵|偏贵|价格高|不打折|没有优惠|没有赠品|"
    r"不到货|延迟发货|晚几天"
)
# Words that turn the negative into what can be done instead.
_REFRAME = re.compile(
    r"可以|推荐|建议|为您|帮您|给您|换成|改成|试试|替代|同款|相似|预订|预定|到货|补货|还有|另外|不过|"
    r"优先|马上|立刻|第一时间|保证|一定|值得|划算|性价比|品质|放心|安排|选择"
)


def find_unreframed_negative(text: str) -> list[str]:
    """Negative facts in a reply that offers nothing the shopper can do instead."""
    return unless_redeemed(_NEGATIVE_FACT, _REFRAME, text)
