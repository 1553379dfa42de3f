"""Durable payment reminders (催付), repurchase reminders (追销, planned by bot/repurchase) and proactive change
notices. The service functions the bot calls are in service.py; the scheduler (`python -m bot.reminders`,
scheduler.py) sends what they plan."""
