"""`python -m bot.web [--port N]`: serve the web app."""
from __future__ import annotations

import argparse
import logging

from bot.settings import get_settings
from bot.web.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=get_settings().web_port)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    create_app().run(host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()
