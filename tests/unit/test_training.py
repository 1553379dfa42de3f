"""Simulation mode: scripted trainees against the shipped scenarios, branching on moves, findings and timing."""
from __future__ import annotations

import pytest

from bot.training.config import TrainingConfig, load_config
from bot.training.moves import MoveContext, RuleMoveClassifier
from bot.training.simulator import TrainingError
from bot.training.trainer import Trainer
from tests.unit.training_scripts import GOOD, POOR, POOR_FINDINGS


class Clock:
    """An injected monotonic clock: each reply advances it by the trainee's typing time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def trainer(store_db: str) -> Trainer:
    return Trainer()


def play(trainer: Trainer, scenario: str, replies: list[str], seconds: float = 2.0, trainee: str = "tester"):
    clock = Clock()
    run = trainer.start(scenario, trainee, clock=clock)
    steps = []
    for text in replies:
        assert not run.done, f"{scenario}: the shopper left before reply {text!r}"
        clock.now += seconds
        steps.append(run.reply(text))
    return run, steps, run.finish()


def test_every_required_kind_of_scenario_is_shipped(trainer: Trainer) -> None:
    assert set(GOOD) <= set(trainer.scenarios().scenarios)
    assert len(trainer.scenarios().scenarios) >= 8
    assert [e for e in trainer.errors if e.severity == "error"] == []


@pytest.mark.parametrize("scenario", sorted(GOOD))
def test_good_trainee_passes_each_scenario(trainer: Trainer, scenario: str) -> None:
    run, _, card = play(trainer, scenario, GOOD[scenario])
    assert run.done and card.outcome in ("won", "resolved")
    assert card.passed and card.total >= card.pass_mark == 80
    assert all(c.passed for c in card.checkpoints)
    assert [f.code for f in card.findings if f.severity == "error"] == []
    assert [e["role"] for e in card.transcript].count("trainee") == len(GOOD[scenario])


@pytest.mark.parametrize("scenario", sorted(POOR))
def test_poor_trainee_fails_with_the_expected_findings(trainer: Trainer, scenario: str) -> None:
    _, _, card = play(trainer, scenario, POOR[scenario], seconds=70.0)
    assert not card.passed and card.total < 80
    assert POOR_FINDINGS[scenario] <= {f.code for f in card.findings}
    library = trainer.library.responses
    for finding in card.findings:
        assert finding.title and finding.explanation and "{" not in finding.explanation
        assert finding.better_text and finding.better_response in library, finding
    failed = [c for c in card.checkpoints if not c.passed]
    assert failed and all(c.better_text for c in failed)


def test_a_finding_explains_itself_with_the_words_that_broke_the_rule(trainer: Trainer) -> None:
    _, steps, _ = play(trainer, "suitcase_buyer", ["不知道，自己看详情页。"])
    refusal = next(f for f in steps[0].reply.findings if f.code == "flat_refusal")
    assert "不知道" in refusal.span and "不知道" in refusal.explanation
    assert "登机" in refusal.better_text or "飞机" in refusal.better_text


def test_branching_follows_what_the_trainee_says(trainer: Trainer) -> None:
    _, steps, _ = play(trainer, "price_objection", ["不行，不能便宜。"])
    assert steps[0].shopper.turn == "annoyed"
    _, steps, _ = play(trainer, "price_objection", ["亲，理解您的感受呢~ 这款风衣做工和用料都很扎实，很值得哦 😊"])
    assert steps[0].shopper.turn == "haggle"
    _, steps, _ = play(trainer, "hesitant_buyer", ["好的。"])
    assert steps[0].shopper.turn == "cold"
    # an apology after the shopper got annoyed wins her back
    _, steps, _ = play(trainer, "price_objection", ["不行。", "亲，真的很抱歉，刚才是我没说清楚呢~"])
    assert [s.shopper.turn for s in steps] == ["annoyed", "haggle"]


def test_upsell_must_be_a_related_item_of_the_right_type(trainer: Trainer) -> None:
    opening = "有的亲~ M码有现货哦 😊"
    _, steps, _ = play(trainer, "swimsuit_buyer", [opening, "亲，再带一支防晒霜SPF50吧，海边太阳大，记得防晒哦 🌸"])
    assert "offers_latent" in steps[1].reply.moves and steps[1].shopper.turn == "interested"
    # flip-flops go with a swimsuit (complementary) but this shopper needed a latent item (sunscreen, hat ...)
    _, steps, _ = play(trainer, "swimsuit_buyer", [opening, "亲，可以再配一双沙滩拖鞋哦，泳池边防滑更安全呢 🌸"])
    assert {"offers_complementary", "offers_related"} <= steps[1].reply.moves
    missed = next(f for f in steps[1].reply.findings if f.code == "missed_upsell")
    assert "潜在关联" in missed.explanation and "防晒" in missed.better_text
    assert steps[1].shopper.turn == "won_single"
    # once she has chosen the V领T恤 offered earlier, naming it again is a confirmation, not a second offer
    _, steps, card = play(trainer, "round_collar", [*GOOD["round_collar"][:2], "好嘞亲，V领T恤给您备注好啦 😊"])
    assert "offers_related" not in steps[2].reply.moves and steps[2].shopper.turn == "won"
    assert not next(c for c in card.checkpoints if c.id == "multibuy").passed


def test_classifier_uses_the_rules_and_the_catalog(trainer: Trainer) -> None:
    classify = RuleMoveClassifier().classify
    context = MoveContext(product_sku="LUGGAGE-20-001")
    assert {"offers_complementary", "offers_related", "warm"} <= classify("亲，配个双肩包出差更方便哦", context)
    assert "offers_latent" in classify("亲，带把晴雨伞吧，出门在外更安心呢", context)
    assert "offers_related" not in classify("亲，这款拉杆箱很结实哦", context)
    swimsuit = MoveContext(product_sku="SWIM-ONEPIECE-001")
    assert "offers_latent" in classify("亲，海边阳光刺眼，带副偏光墨镜吧", swimsuit)     # via the beach scene
    unrelated = classify("亲，要不要顺便来袋狗粮呀", swimsuit)
    assert "offers_product" in unrelated and "offers_related" not in unrelated
    assert "apologises" in classify("真的很抱歉，是我们的疏忽", MoveContext())
    assert "apologises" not in classify("这不是我们的问题，你自己没看清楚", MoveContext())
    assert "remedy" not in classify("不能补发", MoveContext())
    assert "reassures" in classify("亲，收货15天内都可以换货哦，尺码想换随时联系我呢", MoveContext())
    assert "reassures" in classify("收到觉得不合适7天内随时可退呢", MoveContext())
    assert "reassures" not in classify("不能换货", MoveContext())
    assert "conditional_concession" in classify("如果拍两件，每件减5元哦", MoveContext())
    assert "conditional_concession" not in classify("给您便宜10元吧", MoveContext())
    assert "asks_reason" in classify("亲，是还有什么顾虑吗？", MoveContext())


def test_reply_times_come_from_the_injected_clock(trainer: Trainer) -> None:
    run, steps, card = play(trainer, "round_collar", GOOD["round_collar"], seconds=6.0)
    codes = [[f.code for f in s.reply.findings] for s in steps]
    assert "slow_first_reply" in codes[0] and all("slow_reply" not in c for c in codes[1:])
    assert card.timing["server"]["first"] == 6.0 and card.timing["limits"]["first_reply_seconds"] == 5.0
    strict = Trainer(config=TrainingConfig(**{**load_config().__dict__, "reply_seconds": 4.0}))
    _, steps, _ = play(strict, "round_collar", GOOD["round_collar"], seconds=4.5)
    assert "slow_reply" in [f.code for f in steps[1].reply.findings]


def test_silent_turns_are_not_timed_and_the_trainee_must_reengage(trainer: Trainer) -> None:
    clock = Clock()
    run = trainer.start("silent_shopper", "tester", clock=clock)
    clock.now += 2
    silence = run.reply(GOOD["silent_shopper"][0]).shopper
    assert silence.note and silence.text is None
    clock.now += 300                     # the shopper was away; the trainee's nudge is not "slow"
    step = run.reply("在吗")
    codes = [f.code for f in step.reply.findings]
    assert "slow_reply" not in codes and "missed_reengage" in codes and step.shopper.end == "lost"


def test_repeating_the_same_canned_reply_is_a_finding(trainer: Trainer) -> None:
    same = "亲，理解您的感受呢~ 这款风衣做工和用料都很扎实，很值得哦 😊"
    _, steps, _ = play(trainer, "price_objection", [same, same])
    assert "repeat" in [f.code for f in steps[1].reply.findings]


def test_bad_input_gives_clear_errors(trainer: Trainer) -> None:
    with pytest.raises(TrainingError, match="unknown scenario 'nope'"):
        trainer.start("nope", "tester")
    with pytest.raises(TrainingError, match="trainee name"):
        trainer.start("price_objection", "")
    run = trainer.start("price_objection", "tester")
    with pytest.raises(TrainingError, match="empty reply"):
        run.reply("   ")
    run.finish()
    with pytest.raises(TrainingError, match="finished"):
        run.reply("亲~")


def test_an_abandoned_run_scores_nothing(trainer: Trainer) -> None:
    card = trainer.start("wrong_item", "tester").finish()
    assert card.total == 0 and card.outcome == "unfinished" and not card.passed
