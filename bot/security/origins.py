"""The store's own web origins: PUBLIC_WEB_URL plus CORS_ORIGINS (space- or comma-separated)."""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from bot.settings import get_settings


def allowed_origins() -> list[str]:
    """Origins that may call Rasa's channels and the chat history from a browser (scheme://host[:port])."""
    public = urlsplit(get_settings().public_web_url)
    origins = [f"{public.scheme}://{public.netloc}"]
    if public.hostname in ("localhost", "127.0.0.1"):
        other = "127.0.0.1" if public.hostname == "localhost" else "localhost"
        origins.append(f"{public.scheme}://{other}" + (f":{public.port}" if public.port else ""))
    return list(dict.fromkeys(origins + extra_origins()))


def extra_origins() -> list[str]:
    """CORS_ORIGINS: other sites of the store that embed the widget."""
    return [o.rstrip("/") for o in os.environ.get("CORS_ORIGINS", "").replace(",", " ").split()]
