"""Scripted trainees for the shipped training scenarios: a good one and a poor one (flat refusals, no upsell)."""
from __future__ import annotations

GOOD: dict[str, list[str]] = {
    "price_objection": [
        "亲，确实价格不算低呢~ 不过一分钱一分货，这款风衣用料和做工都很扎实，防泼水，上班周末都能穿，很值得哦 😊",
        "理解亲想买得更划算~ 如果今天下单，满299减40，还送收纳小包哦，再加上7天无理由和运费险，买得放心呢 🌸",
        "亲眼光真好~ 风衣里面搭一件纯棉圆领T恤最经典，干净又显气质，您可以一起看看哦 💕",
    ],
    "hesitant_buyer": [
        "亲，慢慢考虑就好哦~ 是对尺码还是面料有顾虑呀？我们有7天无理由退换和运费险，买了不合适也能退，很放心的呢 😊",
        "亲放心哈~ 您告诉我身高体重，我帮您推荐尺码，收到后15天内可以免费换码，还有运费险兜底呢 🌸",
        "亲眼光真好~ 碎花裙配小白鞋清爽减龄，逛一天街脚也不累，您可以一起看看哦 💕",
    ],
    "unpaid_order": [
        "亲，我是小美~ 看到您拍下的成犬狗粮10kg还没付款呢，是还有什么顾虑吗？有问题随时问我哦 😊",
        "理解亲的担心~ 可以加一包狗粮试吃装，先拆小包让狗狗试试口味，爱吃再开大袋，收到后7天无理由也能退，很放心的呢 🌸",
    ],
    "swimsuit_buyer": [
        "有的亲~ 连体泳衣M码有现货哦，去三亚穿超合适，带小裙摆还遮肚子呢 😊",
        "亲眼光真好~ 三亚太阳特别大，水面反光晒得更厉害，建议带一支防水的防晒霜SPF50，再配顶遮阳草帽，您看需要一起备上吗 🌸",
        "亲，这款是防水配方哦，下水前15分钟涂好，出水擦干后补涂一次，效果很好呢 💕",
    ],
    "suitcase_buyer": [
        "可以的亲~ 20寸符合大多数航空公司的登机尺寸，直接拎上飞机不用托运，下飞机就能走呢 😊",
        "亲眼光真好~ 出差的话可以配一个双肩包，背面有拉杆带能套在箱子上一起推，证件电脑随手拿，再加个收纳袋，衣服分类装更整齐哦 🌸",
        "亲，箱子和双肩包一起拍正好满299减40哦，现在下单还送收纳小包呢 🎁",
    ],
    "round_collar": [
        "理解亲~ 脖子短的话可以看看V领T恤，V领能修饰脸型、显得脖子更长，同样亲肤好穿哦，或者小立领T恤也很精神呢 😊",
        "亲放心哈，V领开口适中，上班穿也很得体，配西装外套效果特别好呢 🌸",
        "亲眼光真好~ 很多亲都是一次带两件换着穿的，拍2件每件60元，更划算哦 💕",
    ],
    "wrong_item": [
        "亲，真的非常抱歉，发错货是我们的疏忽！我马上帮您核实订单哦。",
        "亲，今天就给您补发V领T恤，顺丰加急发出，周末前能到呢；错发的那件用我们提供的退货单寄回，运费我们承担。",
    ],
    "silent_shopper": [
        "亲，这款是抗皱面料哦，上班坐一天也很挺括，不容易起皱呢 😊",
        "亲，还在吗~ 刚才说到的面料您还满意吗？有什么想了解的随时问我哦 🌸",
        "亲，通勤裙颜色比较素，系一条小丝巾马上有亮点，再配双细跟高跟鞋，见客户也很得体呢 💕",
    ],
    "returning_dog_food": [
        "亲，我是小美~ 您上次买的成犬狗粮10kg宝贝吃得还习惯吗？算算日子这几天就要吃完啦，可以提前备上一袋哦 😊",
        "亲，狗粮配一包狗狗磨牙棒很合适，平时当奖励零食还能清洁牙齿呢，一次带两袋狗粮每袋还能便宜5元哦 🌸",
    ],
}

# The poor trainee answers slowly, refuses flatly, argues and never suggests a related item.
POOR: dict[str, list[str]] = {
    "price_objection": ["不贵，才299，已经是最低价了，不能再便宜。", "我们价格就是这样，爱买不买。"],
    "hesitant_buyer": ["好的。", "不行就算了。"],
    "unpaid_order": ["你的订单还没付款，尽快付。", "不付款的话订单会自动关闭。"],
    "swimsuit_buyer": ["有。", "好的。"],
    "suitcase_buyer": ["不知道，自己看详情页。"],
    "round_collar": ["不行，我们只卖圆领的，不能换。"],
    "wrong_item": ["你自己下单的时候没看清楚吧，不是我们的问题。", "规定就是规定，不能补发。"],
    "silent_shopper": ["涤纶的。", "在吗"],
    "returning_dog_food": ["你的狗粮快吃完了，赶紧下单。"],
}

POOR_FINDINGS: dict[str, set[str]] = {
    "price_objection": {"flat_refusal", "blame", "slow_first_reply"},
    "hesitant_buyer": {"missed_reassurance", "flat_refusal", "slow_first_reply"},
    "unpaid_order": {"missed_reason_question", "no_warmth", "slow_reply"},
    "swimsuit_buyer": {"missed_upsell", "no_warmth", "slow_first_reply"},
    "suitcase_buyer": {"flat_refusal", "slow_first_reply"},
    "round_collar": {"flat_refusal", "missed_upsell", "slow_first_reply"},
    "wrong_item": {"blame", "no_apology", "flat_refusal"},
    "silent_shopper": {"missed_reengage", "no_warmth", "slow_first_reply"},
    "returning_dog_food": {"missed_recognition", "pushy", "no_warmth"},
}
