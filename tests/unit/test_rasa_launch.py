"""Rasa is started with the generated token whatever its first character (token_urlsafe may begin with "-")."""
from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
from rasa.__main__ import create_argument_parser

from bot.ops.scaled import Layout, procfile
from bot.ops.serve_rasa import rasa_args

TOKENS = ["-starts-with-a-dash", "--looks-like-a-flag", "_plain_token"]


@pytest.mark.parametrize("token", TOKENS)
def test_rasa_receives_the_token_it_was_given(token):
    args = create_argument_parser().parse_args(rasa_args("5005", "models/x.tar.gz", "endpoints.yml", token=token))
    assert args.auth_token == token and args.port == 5005 and args.enable_api


@pytest.mark.parametrize("token", TOKENS)
def test_the_scaled_rasa_lines_expand_the_token_from_the_environment(token, tmp_path):
    text = procfile(Layout(run_dir=tmp_path), Path("models/x.tar.gz"))
    lines = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("rasa")]
    assert lines and all("$RASA_AUTH_TOKEN" in line for line in lines)  # the file itself holds no secret
    for line in lines:
        # the shell honcho runs expands the variable; print the words it would pass to Rasa
        words = subprocess.run(["sh", "-c", f"printf '%s\\n' {line.split(' -m bot.ops.rasa_fast ', 1)[1]}"],
                               env={"RASA_AUTH_TOKEN": token}, capture_output=True, text=True, check=True)
        args = create_argument_parser().parse_args(words.stdout.splitlines())
        assert args.auth_token == token
    assert token not in shlex.join(lines)
