"""The manager console's blueprints (店长后台): overview, conversations, store data imports, settings, staff, 追销."""
from __future__ import annotations

from bot.web.console.conversations import bp as conversations_bp
from bot.web.console.imports import bp as imports_bp
from bot.web.console.overview import bp as overview_bp
from bot.web.console.repurchase import bp as repurchase_bp
from bot.web.console.settings import bp as settings_bp
from bot.web.console.staff import bp as staff_bp

BLUEPRINTS = (overview_bp, conversations_bp, imports_bp, settings_bp, staff_bp, repurchase_bp)
