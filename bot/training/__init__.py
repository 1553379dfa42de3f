"""Simulation mode (客服训练): trainees practise against a simulated shopper and are graded by the service rules.

    from bot.training.trainer import Trainer
    run = Trainer().start("price_objection", "xiaomei")
    run.opening.text; step = run.reply("亲，确实不便宜呢~ 不过一分钱一分货哦"); card = run.finish()

Scenarios live in scripts_library/training/*.yml; scorecards are stored per trainee (bot/training/repository.py).
"""
