"""The shared service rules: what they flag and, as importantly, what they leave alone."""
import pytest

from bot.rules.checks import ReplyContext, check_reply
from bot.rules.negatives import find_flat_refusals, find_unreframed_negative
from bot.rules.repeats import is_repeat
from bot.rules.tone import asks_reason, find_bare_price_cut, find_blame_or_argument, has_apology, has_warmth

FLAT_REFUSALS = [
    "不行", "这个价格不行哦", "不可以的亲", "不能便宜了", "没办法呢", "没有办法的", "没法改价",
    "做不到的", "办不到", "我们不支持货到付款", "不接受定制", "不知道", "我也不清楚", "无法发货",
    "不可能的", "我们不提供发票", "不允许退换", "便宜不了了", "不给优惠", "这个不退", "不换的哦",
    "不同意退款", "这个我们不受理", "物流问题我们不负责", "亲，这个真不行", "这个价真的不能再少了",
    "偏远地区当天到不了，没办法", "颜色不可以选", "客服也不知道呢", "不清楚哦亲", "系统无法修改地址",
    "改不了价格的", "尺码不能换", "L码做不到", "包邮不支持的亲", "真的不能再便宜了亲",
    "抱歉，这个不能定制", "没法给您优惠哦", "不行呀亲", "这边不接受议价",
]
HARMLESS = [
    "这款不会起球的，放心穿", "不用担心，我们有运费险", "不客气呀", "这个价格真的不能错过哦",
    "活动不容错过呢", "能不能帮您推荐一款？", "可不可以告诉我您的身高呀", "不知道亲喜欢哪种颜色呢？",
    "不清楚尺码的话，告诉我身高体重就好", "如果不行的话可以七天无理由退换哦", "这条裙子让人没办法拒绝呀",
    "亲，行不行都可以先试试哦", "尺码不合适的话包退换", "少不了您的赠品哦", "穿上效果错不了的",
    "您看这款V领的怎么样呀", "有货的亲，今天下单今天发", "可以的亲，马上为您安排", "亲，立领款也很好看哦",
    "好的呢，已经为您备注", "我们支持七天无理由退换", "这款纯棉面料，透气吸汗呢", "拍两件可以再减10元哦",
    "24寸暂时补货中，20寸的现货可以马上发呢", "您的订单已经发出啦", "亲，感谢您的耐心等待",
    "这个颜色很衬肤色呢", "您眼光真好，这款卖得最好哦", "不知道您平时穿多大码呢？", "L码还有库存哦",
    "我们可以提供电子发票哦", "支持花呗分期的亲", "定制暂时做成了现货款，有三种颜色可以选呢",
    "放心，不会褪色的", "不会缩水哦", "收藏店铺就能领5元券呢", "亲亲在的呢", "马上帮您查一下物流哦",
    "您说的问题我记下啦", "今天下单明天就能到哦", "这款是爆款呢", "好评返现3元哦",
    "尺码表在详情页，我也可以帮您推荐呢", "我这边帮您申请补发", "退款已经提交啦",
    "搭配一件防晒衣去海边刚刚好呢", "这款和您的包很配哦", "还有其他想了解的吗？", "您的眼光真不错呢",
    "我们会第一时间通知您", "包装很严实，请放心", "亲，可以先领券再下单哦", "到货后马上通知您呢",
    "这款适合上班穿哦", "收到了亲", "明白啦", "两件一起拍更划算哦", "免费帮您换码哦",
    "这款能机洗的哦", "能帮到您真开心",
]


@pytest.mark.parametrize("text", FLAT_REFUSALS)
def test_flat_refusals_are_flagged(text):
    assert find_flat_refusals(text), text
    assert any(v.rule == "flat_refusal" for v in check_reply(text))


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_negation_and_affirmative_replies_pass(text):
    assert find_flat_refusals(text) == [], text


def test_lists_are_big_enough():
    assert len(FLAT_REFUSALS) >= 40 and len(HARMLESS) >= 60


BLAME = ["是你自己没看清楚", "这不是我们的问题", "详情页写得很清楚", "您没仔细看说明", "早就说了不退",
         "爱买不买", "你搞错了吧", "跟我们没关系哦", "谁让你不选大一码", "您怎么不早说",
         "不贵呀，才30多", "这哪里贵了", "一点都不贵啊"]
NO_BLAME = ["非常抱歉，是我们的疏忽", "我来帮您核对一下", "您说得对，我们马上处理", "详情页的尺码表我发给您哦"]


@pytest.mark.parametrize("text", BLAME)
def test_blame_is_flagged(text):
    assert find_blame_or_argument(text)


@pytest.mark.parametrize("text", NO_BLAME)
def test_owning_the_mistake_is_not_blame(text):
    assert not find_blame_or_argument(text)


UNREFRAMED = ["没货了", "卖完了", "这个颜色没有了，没有这个颜色", "不包邮", "断码了", "没有XL码"]
REFRAMED = ["这款卖完了，同款V领的还有货，推荐您看看", "暂时缺货，到货后第一时间通知您",
            "没有XL码，不过这款宽松版L码就合适呢", "偏远地区不包邮，可以帮您用运费险抵扣"]


@pytest.mark.parametrize("text", UNREFRAMED)
def test_bare_negative_facts_are_flagged(text):
    assert find_unreframed_negative(text)


@pytest.mark.parametrize("text", REFRAMED)
def test_negative_with_an_alternative_passes(text):
    assert not find_unreframed_negative(text)


def test_complaint_reply_needs_an_apology():
    context = ReplyContext(situation="complaint")
    assert any(v.rule == "no_apology" for v in check_reply("我来帮您处理哦", context))
    assert not [v for v in check_reply("非常抱歉给您添麻烦了，马上为您补发哦", context) if v.severity == "error"]
    assert has_apology("实在对不起") and not has_apology("好的呢")
    assert has_apology("是我们的疏忽") and not has_apology("这不是我们的问题")


def test_bargain_concession_must_carry_a_condition():
    assert find_bare_price_cut("给您便宜10元吧")
    assert not find_bare_price_cut("拍两件的话每件给您便宜5元哦")
    assert not find_bare_price_cut("这款纯棉的，品质很好呢")
    context = ReplyContext(situation="bargain")
    assert any(v.rule == "bare_price_cut" for v in check_reply("那算您49元吧", context))


@pytest.mark.parametrize("text,style,expected", [
    ("好的呢", "lively", True), ("收到啦😊", "lively", True), ("已为您处理。", "lively", False),
    ("已为您处理。", "calm", True), ("好的。", "calm", False), ("亲，稍等", "lively", True),
])
def test_warmth_depends_on_store_style(text, style, expected):
    assert has_warmth(text, style) is expected
    warm = not any(v.rule == "no_warmth" for v in check_reply(text, ReplyContext(style=style)))
    assert warm is expected


def test_repeats_are_detected_on_whole_replies_and_long_sentences():
    sent = ["亲，这款圆领T恤是纯棉的，穿着很舒服呢。还有什么想了解的吗？"]
    assert is_repeat("亲，这款圆领T恤是纯棉的，穿着很舒服呢！", sent)
    assert is_repeat("还有什么想了解的吗", ["还有什么想了解的吗？"])
    assert not is_repeat("这款V领的是莫代尔面料哦", sent)
    context = ReplyContext(previous_bot_texts=tuple(sent))
    assert any(v.rule == "repeat" for v in check_reply(sent[0], context))


@pytest.mark.parametrize("text,expected", [
    ("亲，是有什么顾虑吗？", True), ("付款遇到什么问题了吗", True), ("是价格方面的原因吗？", True),
    ("还在犹豫吗亲", True), ("是不是还有哪里想再确认一下呢？", True), ("是价格还是别的原因呢？", True),
    ("是还有什么犹豫的地方吗？", True), ("您的订单还没付款哦", False), ("记得付款哦", False),
])
def test_reason_question_in_payment_chase(text, expected):
    assert asks_reason(text) is expected
