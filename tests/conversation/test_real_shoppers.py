"""Shoppers as they really write, over no product page: loose names, follow-ups, two asks, greetings in front."""
from __future__ import annotations

import re

import pytest

from bot.db.uow import run_in_unit_of_work as in_uow
from bot.rules.negatives import find_flat_refusals

pytestmark = pytest.mark.agent
IN_STOCK_CLAIM = re.compile(r"有库存|有现货的哦|有货的|现货充足|库存充足")


def cards(messages) -> list[dict]:
    return [card for m in messages for card in (m.get("custom") or {}).get("cards", [])]


def test_a_suitcase_conversation_keeps_its_thread(chat) -> None:
    c = chat()
    first = c.text("我想买个拉杆箱")
    assert "拉杆箱" in first and "超出" not in first
    colors = c.text("有什么颜色")
    assert "银色" in colors and "雾霾蓝" in colors
    size = c.say("24寸的有吗")
    said = "\n".join(m.get("text") or "" for m in size)
    assert "24寸拉杆箱" in said and not IN_STOCK_CLAIM.search(said.split("现货的")[0])
    assert "LUGGAGE-20-001" in {card["sku"] for card in cards(size)}
    assert "329" in c.text("多少钱")
    final = c.text("好吧那我要了")
    assert "哪件" not in final and "哪一款" not in final and "链接" not in final
    assert "utter_ask_which_product" not in c.responses()


def test_a_category_question_lists_every_dress(chat) -> None:
    c = chat()
    messages = c.say("有连衣裙吗")
    text = "\n".join(m.get("text") or "" for m in messages)
    assert all(name in text for name in ("通勤连衣裙", "碎花连衣裙", "亮片吊带连衣裙", "波西米亚度假长裙"))
    assert len(cards(messages)) == 4
    pick = c.text("第二个多少钱")
    assert "139" in pick


def test_a_sold_out_size_is_never_called_in_stock(chat) -> None:
    c = chat()
    reply = c.text("24寸的拉杆箱还有吗")
    assert "24寸拉杆箱" in reply and "月" in reply           # the restock date
    assert not IN_STOCK_CLAIM.search(reply.split("现货的")[0])
    assert not find_flat_refusals(reply)


def test_loose_mentions_of_t_shirts_and_coats(chat) -> None:
    stripe = chat().text("那个条纹的T恤还有吗")
    assert "条纹圆领T恤" in stripe and not IN_STOCK_CLAIM.search(stripe.split("现货的")[0])
    cheap = chat().say("有没有便宜点的T恤")
    prices = [card["price"] for card in cards(cheap) if "暂时缺货" not in (card.get("reason") or "")]
    assert prices and prices == sorted(prices)
    coats = chat().text("想看看女士外套")
    assert "女士风衣外套" in coats and "女士牛仔外套" in coats


def test_a_greeting_in_front_does_not_hide_the_question(chat) -> None:
    c = chat()
    c.text("你好，我买了这款泳衣，请问明天一定能送到吗?我后天需要用")
    assert c.responses()[-1] != "utter_greet"
    assert any(r.startswith("utter_shipping") for r in c.responses()), c.responses()


def test_two_asks_get_two_answers_in_order(chat) -> None:
    c = chat(page_sku="TSHIRT-ROUND-001")
    c.say("这个多少钱？包邮吗")
    replies = c.bot_texts()
    assert len(replies) >= 2 and "59" in replies[0]
    assert any(r.startswith("utter_shipping") for r in c.responses()[1:]), c.responses()


def test_switching_topic_and_coming_back(chat) -> None:
    c = chat()
    assert "79" in c.text("立领T恤多少钱")
    c.text("发什么快递")
    c.text("那就要刚才那个")
    assert c.responses()[-1] == "utter_confirm_purchase" or "utter_confirm_purchase" in c.responses()[-2:]
    assert "立领T恤" in "\n".join(c.bot_texts()[-2:])


def test_the_order_in_hand_is_used_without_asking_its_number(chat) -> None:
    from bot.orders.service import create_order

    c = chat()
    order = in_uow(create_order, c.sender, [{"sku": "SWIM-ONEPIECE-001", "qty": 1}])
    c.text("这单什么时候到")
    assert c.responses()[-1].startswith("utter_order_status"), c.responses()
    assert "utter_ask_order_id" not in c.responses()
    assert order.order_id in "\n".join(c.bot_texts()) or "泳衣" in "\n".join(c.bot_texts())


def test_a_mistyped_order_number_is_checked_not_taken_for_a_product(chat) -> None:
    c = chat()
    c.say("我的订单到哪了")
    assert c.responses()[-1] == "utter_ask_order_id"
    reply = c.text("1234567890")                       # ten digits: no order number of this shop, still an answer to it
    assert c.responses()[-1] == "utter_order_not_found" and "1234567890" in reply
    assert "宝贝" not in reply


def test_a_pick_by_ordinal_from_the_cards_just_shown(chat) -> None:
    c = chat()
    c.say("想看看女士外套")
    reply = c.text("第一个是什么面料")
    assert "女士" in reply and ("牛仔" in reply or "风衣" in reply)


def test_button_payloads_reach_rasa_untouched_by_the_normaliser(chat) -> None:
    c = chat()
    c.say("/greet")                                           # the widget's hidden greeting
    assert c.responses()[-1] == "utter_greet"
    c.say("有连衣裙吗")
    reply = c.text('/provide_info{"product":"碎花连衣裙"}')    # a quick reply of the choice
    assert "碎花连衣裙" in reply and "utter_rephrase" not in c.responses()[-1]


def test_a_kind_asked_for_a_use_shows_that_kind_not_the_use_s_extras(chat) -> None:
    """有没有拉杆箱啊 出差用的 asks for suitcases; umbrellas and neck pillows for the trip are not an answer."""
    messages = chat().say("有没有拉杆箱啊 出差用的")
    assert {card["sku"] for card in cards(messages)} >= {"LUGGAGE-20-001"}
    assert all("拉杆箱" in card["name"] for card in cards(messages))


def test_that_one_with_a_name_word_picks_the_sibling_and_a_bare_follow_up_repeats_the_question(chat) -> None:
    c = chat()
    c.say("20寸拉杆箱多少钱")
    assert "329" in c.text("24寸那个多少钱")          # not the 20寸 the conversation was about
    again = c.text("那20寸的呢")                       # the same question, the other item; never a purchase
    assert "269" in again and "拍下" not in again and "付款" not in again
    c.say("那我要20寸的")                              # a pick that takes it is a purchase
    assert "utter_confirm_purchase" in c.responses()[-3:]


def test_when_will_it_arrive_before_buying_is_about_delivery_not_an_order(chat) -> None:
    c = chat()
    c.say("20寸拉杆箱多少钱")
    c.say("什么时候能到")
    assert c.responses()[-1].startswith("utter_shipping") and "utter_ask_order_id" not in c.responses()
    c.say("我的订单到哪了")                            # an order they placed: ask for it
    assert c.responses()[-1] == "utter_ask_order_id"
    colour = c.text("那黑色的呢")                      # after no question: is that colour there
    assert "20寸拉杆箱" in colour


def test_asking_for_a_recommendation_of_an_item_shows_that_item_first(chat) -> None:
    """我想买个保温杯，有没有推荐: the cup, not what people buy with it; 保温杯配什么好 asks for the extras."""
    messages = chat().say("我想买个保温杯，有没有推荐")
    assert "保温杯" in [card["name"] for card in cards(messages)]
    extras = chat().say("保温杯配什么好")
    assert cards(extras) and "保温杯" not in [card["name"] for card in cards(extras)]


def test_a_suitcase_s_size_is_its_measure_not_one_size_fits_all(chat) -> None:
    c = chat()
    c.say("24寸拉杆箱多少钱")
    reply = c.text("尺码怎么选")
    assert "24寸" in reply and "均码" not in reply


def test_a_t_shirt_for_her_husband_from_list_to_dislike_to_price(chat) -> None:
    c = chat()
    c.say("想给老公买件T恤，有什么推荐的")
    disliked = c.say("圆领的他不喜欢")
    assert {"TSHIRT-VNECK-001", "TSHIRT-STAND-001"} & {card["sku"] for card in cards(disliked)}
    assert "utter_no_substitute" not in c.responses()
    assert "65" in c.text("V领那个多少钱")


def test_yes_with_another_item_named_buys_that_item(chat) -> None:
    c = chat()
    c.say("去海边玩还要买什么")
    bought = c.text("好，防晒霜要一支")
    assert "防晒霜" in bought and "utter_suggestion_accepted" not in c.responses()


def test_what_goes_with_a_shirt_for_her_husband_is_nothing_only_women_wear(chat) -> None:
    c = chat()
    c.say("想给老公买件T恤，有什么推荐的")
    bought = c.say("那我要V领的，L码")
    assert "utter_confirm_purchase" in c.responses()
    suggested = {card["sku"] for card in cards(bought)}
    assert not suggested & {"COAT-TRENCH-001", "COAT-DENIM-001", "DRESS-FLORAL-001", "DRESS-OFFICE-001",
                            "DRESS-BOHO-001", "SHOE-HEEL-001", "NECKLACE-PEARL-001"}


def test_a_size_with_his_height_and_weight_gets_a_size_not_the_details_again(chat) -> None:
    c = chat()
    c.say("我想给我老公买件T恤，他平时上班穿，有什么推荐吗")
    c.say("立领的那个是什么面料")
    sized = c.text("有XL吗？他175，150斤")
    assert "XL" in sized and "精梳棉" not in sized


def test_after_a_broken_zip_the_return_and_its_shipping_are_the_quality_case(chat) -> None:
    c = chat()
    c.say("亲 我上周买的那个双肩包拉链坏了，才用了两次，太失望了")
    c.say("那现在怎么办")
    assert c.responses()[-1].startswith("utter_complaint")            # the remedy again, not a question list
    c.say("我想退货")
    c.say("运费谁出")
    assert c.responses()[-2:] == ["utter_return_quality", "utter_return_quality"]


def test_a_trip_message_naming_three_kinds_gets_one_of_each_and_all_can_be_taken_at_once(chat) -> None:
    c = chat()
    shown = cards(c.say("你好 我下个月要去三亚玩 想买点东西 泳衣 防晒 还有拖鞋 有推荐吗 预算300左右"))
    names = [card["name"] for card in shown]
    assert len(names) == 3 and "泳衣" in names[0] and "防晒" in names[1] and "拖鞋" in names[2]
    taken = c.text("都要了")
    assert c.responses()[-1] == "utter_confirm_purchase_reduction"
    assert all(name in taken for name in names) and "满199减20" in taken
    assert "哪一款" not in taken and "哪件" not in taken


def test_a_question_about_one_detail_gets_that_detail(chat) -> None:
    c = chat()
    c.say("有防晒霜吗")
    assert "各种肤质" in c.text("敏感肌能用吗")
    assert "12小时" in c.text("保温杯能保温多久")


def test_two_items_named_in_one_purchase_are_both_confirmed(chat) -> None:
    c = chat()
    messages = c.say("想买个保温杯和雨伞")
    reply = "\n".join(m.get("text") or "" for m in messages)
    assert c.responses()[-1] == "utter_confirm_purchase_all" and "保温杯" in reply and "晴雨伞" in reply
    assert not cards(messages)                                # no unrelated extras pushed onto a two-item order


def test_a_question_the_nlu_only_guessed_is_browsing_is_not_answered_with_the_item_again(chat) -> None:
    c = chat()
    assert "79" in c.text("保温杯多少钱")
    c.say("你们的宝贝可以激光刻字吗")
    assert c.responses()[-1] != "utter_show_product"
    assert c.responses()[-1].startswith("utter_kb_") or c.responses()[-1].startswith("utter_rephrase")


def test_an_exchange_with_its_shipping_question_gets_both_answered(chat) -> None:
    c = chat()
    reply = c.text("我上周买的那个风衣收到了，穿着有点大，想换小一码，怎么操作啊，还有运费谁出")
    assert c.responses()[-1] == "utter_exchange_shipping_insured" and "运费险" in reply


def test_an_urgent_shopper_is_told_the_fastest_honestly_and_asked_the_city(chat) -> None:
    c = chat()
    c.say("发货快吗 我急用 后天要穿")
    assert c.responses()[-1] == "utter_shipping_urgent"


def test_a_size_asked_after_a_list_says_which_items_come_in_it(chat) -> None:
    c = chat()
    assert len(cards(c.say("我想买双鞋"))) >= 2
    reply = c.text("37码有吗")
    assert c.responses()[-1] == "utter_size_in_options" and "沙滩拖鞋" in reply and "小白鞋" in reply
    assert "哪一款宝贝" not in reply
    c.say("41码呢")                                           # a bare follow-up: the same question, another size
    assert c.responses()[-1] == "utter_size_not_in_options"


def test_a_bare_size_right_after_a_list_is_a_size_question_over_it(chat) -> None:
    c = chat()
    c.say("我想买双鞋")
    reply = c.text("41码呢")
    assert c.responses()[-1] == "utter_size_not_in_options" and "35-40" in reply


def test_a_colour_asked_is_named_in_the_stock_answer(chat) -> None:
    c = chat()
    c.say("纯棉圆领T恤多少钱")
    reply = c.text("黑色有吗")
    assert c.responses()[-1] == "utter_stock_variant_available" and "黑色" in reply


def test_which_do_you_recommend_after_a_list_picks_among_that_list(chat) -> None:
    c = chat()
    dresses = {card["sku"] for card in cards(c.say("有连衣裙吗"))}
    c.say("我有点小肚子")
    picked = c.say("那推荐哪个")
    assert c.responses()[-1] == "utter_recommend_among_offered"
    assert {card["sku"] for card in cards(picked)} <= dresses and cards(picked)


def test_a_question_about_it_right_after_a_list_asks_which_of_those(chat) -> None:
    c = chat()
    shown = [card["name"] for card in cards(c.say("亲 这个T恤起球吗😂"))]
    assert len(shown) > 1
    asked = c.say("会缩水吗")
    assert c.responses()[-1] == "utter_ask_which_of_shown"
    assert [b["title"] for m in asked for b in m.get("buttons") or []] == shown


def test_taking_two_pieces_names_the_number_and_the_multi_buy_price(chat) -> None:
    c = chat(page_sku="SHOE-FLIPFLOP-001")
    reply = c.text("好的 要两双")
    assert c.responses()[-1] == "utter_confirm_purchase_pieces_deal" and "2" in reply and "50" in reply


def test_a_coupon_question_gets_the_coupon_and_how_to_pay_gets_how_to_buy(chat) -> None:
    c = chat(page_sku="SHOE-FLIPFLOP-001")
    assert "优惠券" in c.text("有优惠券吗") and c.responses()[-1] == "utter_discount_coupon"
    c.say("怎么付款")                                       # nothing ordered yet: how to buy it, not "nothing to pay"
    assert c.responses()[-1] == "utter_how_to_pay"


def test_a_budget_is_kept_and_said_honestly_when_nothing_fits(chat) -> None:
    c = chat()
    within = cards(c.say("有没有60以内的T恤"))
    assert within and all(card["price"] <= 60 for card in within)
    reply = c.text("有没有10块以内的T恤")
    assert c.responses()[-1] == "utter_choose_over_budget" and "10元以内" in reply and "有的亲" not in reply


def test_a_baby_weight_gets_a_diaper_size(chat) -> None:
    c = chat()
    reply = c.text("给宝宝买纸尿裤 宝宝10公斤 穿什么码")
    assert c.responses()[-1] == "utter_size_advice" and "M" in reply


def test_a_budget_after_a_list_and_a_number_after_a_pick(chat) -> None:
    c = chat()
    c.say("在吗 想给我妈买件衣服 她60多了")
    within = cards(c.say("有没有100以内的"))
    assert within and all(card["price"] <= 100 for card in within)
    c.say("第一个有什么颜色")
    c.say("要两件")                                         # a decision, whatever the bot asked before
    assert c.responses()[-1].startswith("utter_confirm_purchase_pieces")
