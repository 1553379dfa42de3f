"""What every internal caller of Rasa's HTTP API sends: the token Rasa was started with (`--auth-token`)."""
from __future__ import annotations

from bot.security.secrets import get_secret


def rasa_params(**extra: str) -> dict[str, str]:
    """Query parameters for Rasa's API: `token` plus any others."""
    return {"token": get_secret("RASA_AUTH_TOKEN"), **extra}
