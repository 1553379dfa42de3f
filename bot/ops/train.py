"""`make train`: train only when the training data changed; the model file is named by its fingerprint."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bot.ops import catalog_nlu
from bot.settings import PROJECT_ROOT

TRAINING_INPUTS = ("config.yml", "domain", "data/nlu", "data/rules", "data/stories", "data/dict", "data/text",
                   "bot/nlu")
TRAINING_DATA = ("data/nlu", "data/rules", "data/stories")
MODELS = PROJECT_ROOT / "models"
KEEP_MODELS = 3


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """Hash of every file that affects the trained model, plus the Rasa version."""
    digest = hashlib.sha256()
    for entry in TRAINING_INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in {".pyc"} or "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    digest.update(b"rasa-3.6.21")
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    """The model for the current training data, or the one named by RASA_MODEL (to try an older model)."""
    override = os.environ.get("RASA_MODEL")
    return Path(override) if override else root / "models" / f"store-{fingerprint(root)}.tar.gz"


def train() -> Path:
    # The catalog's lookups first (a manager's new product), so the fingerprint covers them.
    for path in catalog_nlu.write():
        print(f"regenerated {path.relative_to(PROJECT_ROOT)}", flush=True)
    target = model_path()
    if target.exists():
        print(f"model up to date: {target.relative_to(PROJECT_ROOT)}")
        target.touch()
        return target
    rasa = Path(sys.executable).with_name("rasa")
    command = [str(rasa), "train", "--domain", "domain", "--config", "config.yml", "--data", *TRAINING_DATA,
               "--out", "models", "--fixed-model-name", target.name.removesuffix(".tar.gz")]
    print("training:", " ".join(command), flush=True)
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    for old in sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-KEEP_MODELS]:
        old.unlink()
    return target


if __name__ == "__main__":
    train()
