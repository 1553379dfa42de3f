"""Warmth, apologies, blame and the shape of concessions."""
from __future__ import annotations

import re

from bot.rules.patterns import unless_redeemed

_PARTICLES = re.compile(r"[呢哦哈呀啦嘛噢喔哟呐滴嘞咯]|吧[~～！!。]?|亲|～|~")
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]|\[(?:微笑|爱心|玫瑰|握手|鼓掌|愉快|害羞|抱拳)\]")
_POLITE = re.compile(r"您|亲|请|谢谢|感谢")


def has_warmth(text: str, style: str = "lively") -> bool:
    """Lively style wants a modal particle or emoji; calm style accepts polite address instead."""
    if _PARTICLES.search(text) or _EMOJI.search(text):
        return True
    return style == "calm" and bool(_POLITE.search(text))


_APOLOGY = re.compile(r"抱歉|对不起|不好意思|添麻烦|歉意|(?<!不)是我们的(?:失误|疏忽|问题|错)|让您久等|委屈您|给您带来")


def has_apology(text: str) -> bool:
    return bool(_APOLOGY.search(text))


_BLAME = re.compile(
    r"你自己|您自己(?:没|不)|是你的问题|是您的问题|你没(?:看|仔细)|您没(?:看|仔细)|不是我们的(?:问题|错|责任)|"
    r"跟我们没关系|和我们没关系|与我们无关|我们没错|你搞错|您搞错|你看清楚|您看清楚|(?:详情页|页面)(?:上)?(?:写|说)(?:得|的)?很清楚|"
    r"早就说了|早说过|怪你|怪您|你的责任|您的责任|本来就是这样|爱买不买|不买拉倒|你怎么(?:不|还)|您怎么(?:不|还)|"
    r"谁让你|规定就是规定|没看说明|"
    r"(?:一点(?:都|也))?不贵(?:呀|啊|啦|吧|的)|哪里贵|哪贵了|不算贵|才\d+(?:多)?(?:块|元)?(?:而已|还嫌)"
)


def find_blame_or_argument(text: str) -> list[str]:
    return [m.group() for m in _BLAME.finditer(text)]


_CUT = re.compile(
    r"便宜(?:\d|一点|点|些)|(?:立)?减\d|少(?:收)?\d|让(?:利)?\d|算您\d|(?:给您|帮您)(?:便宜|减|优惠|打折|少)|返现|降价|改价|"
    r"改成\d|\d+\s*(?:元|块)(?:吧|给您|卖您|拿走)|打\d折|[\d一二三四五六七八九]折"
)
_CONDITION = re.compile(
    r"如果|只要|的话|拍两件|两件|多件|[拍买带]\d|\d件|满\d|评价|收货后|收藏|关注|好评|晒图|加购|一起|凑单|搭配|套装|今天|今晚|现在|\d+点前|"
    r"活动|老顾客|会员|条件|前提|就能|即可|同时"
)


def find_bare_price_cut(text: str) -> list[str]:
    """A price concession with no condition attached (the ladder always asks something back)."""
    return unless_redeemed(_CUT, _CONDITION, text)


_REASON_QUESTION = re.compile(
    r"(?:什么|哪些|哪里|啥)(?:原因|顾虑|疑问|问题|不满意|担心|犹豫)|(?:别的|其他)(?:原因|顾虑)|是不是(?:还)?(?:遇到|有)|"
    r"还在(?:犹豫|考虑|对比)|"
    r"怎么还没|为什么(?:还)?没|付款(?:遇到|碰到|有)(?:什么)?问题|是(?:价格|运费|尺码|付款).{0,6}[吗呢？?]|"
    r"有什么(?:可以)?(?:帮|顾虑|疑问|担心)|方便说说|卡在哪"
)


def asks_reason(text: str) -> bool:
    """True when an unpaid-order reply asks why the shopper has not paid."""
    return bool(_REASON_QUESTION.search(text))
