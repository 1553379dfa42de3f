#!/usr/bin/env python3
"""Check that annotated NLU entities line up with jieba token boundaries.

Rasa's JiebaTokenizer tokenizes with ``jieba.tokenize`` after loading the user
dictionaries; an entity whose start or end falls inside a token is
"misaligned" and cannot be learned by the CRF / DIET entity extractors.

Usage (from the project root, with a Python that has jieba installed)::

    python -m bot.ops.check_spans [--nlu data/nlu] [--dict data/dict/store_terms.txt]
                                    [--rasa-glob] [--min-examples N] [--quiet]

--rasa-glob  loads every file in the dictionary directory, exactly like Rasa's
             JiebaTokenizer does with ``dictionary_path`` (this file included).

Also reported: examples duplicated within or across intents (Rasa rejects
those), annotated product/color/size/scene/feature values missing from the
user dictionary, synonym and lookup values missing from it, and per-intent
example counts. Exit status is 1 when a misaligned span or a duplicate is
found. Standard library + jieba only (this file is ASCII on purpose: keep it
that way, Rasa may load it as a jieba user dictionary).
"""
import argparse
import glob
import logging
import os
import re
import sys
from collections import OrderedDict, defaultdict

# Same pattern as rasa.shared.nlu.training_data.entities_parser (Rasa 3.x).
ENTITY_REGEX = re.compile(
    r"\[(?P<entity_text>[^\]]+?)\](\((?P<entity>[^:)]+?)(?:\:(?P<value>[^)]+))?\)"
    r"|\{(?P<entity_dict>[^}]+?)\}|\[(?P<list_entity_dicts>.*?)\])"
)
DICT_ENTITIES = {"product", "color", "size", "scene", "feature"}
HERE = os.path.dirname(os.path.abspath(__file__))


def parse_nlu_file(path):
    """Minimal parser for Rasa 3 NLU YAML: returns a list of blocks.

    Each block is (kind, name, [example lines]) where kind is intent,
    synonym, lookup or regex.
    """
    blocks = []
    current = None
    in_examples = False
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            head = re.match(r"^-\s+(intent|synonym|lookup|regex):\s*(.+?)\s*$", stripped)
            if head and len(line) - len(line.lstrip()) <= 2:
                current = (head.group(1), head.group(2).strip("\"'"), [])
                blocks.append(current)
                in_examples = False
                continue
            if stripped.startswith("examples:"):
                in_examples = True
                continue
            if in_examples and current is not None and stripped.startswith("- "):
                current[2].append(stripped[2:].strip())
    return blocks


def strip_entities(example):
    """Return (plain_text, [(start, end, entity, text)]) like Rasa does."""
    entities = []
    offset = 0
    plain = []
    last = 0
    for match in ENTITY_REGEX.finditer(example):
        plain.append(example[last:match.start()])
        text = match.group("entity_text")
        start = match.start() - offset
        end = start + len(text)
        entity = match.group("entity") or "?"
        entities.append((start, end, entity, text))
        plain.append(text)
        offset += len(match.group(0)) - len(text)
        last = match.end()
    plain.append(example[last:])
    return "".join(plain), entities


def normalise(text):
    return re.sub(r"[\s,.!?~\u3002\uff0c\uff01\uff1f\u3001\uff5e]+", "", text).lower()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(HERE))
    parser.add_argument("--nlu", default=os.path.join(root, "data", "nlu"))
    parser.add_argument("--dict", default=os.path.join(root, "data", "dict", "store_terms.txt"))
    parser.add_argument("--rasa-glob", action="store_true")
    parser.add_argument("--min-examples", type=int, default=0)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()

    import jieba  # deferred: loading its dictionary costs a second (`--help` stays fast)

    jieba.setLogLevel(logging.WARNING)
    if args.rasa_glob:
        for path in sorted(glob.glob(os.path.join(os.path.dirname(args.dict), "*"))):
            jieba.load_userdict(path)
    else:
        jieba.load_userdict(args.dict)
    with open(args.dict, encoding="utf-8") as handle:
        user_words = {ln.split()[0] for ln in handle if ln.strip()}

    problems = 0
    counts = OrderedDict()
    seen_exact = {}
    seen_norm = defaultdict(list)
    annotated = defaultdict(int)
    for path in sorted(glob.glob(os.path.join(args.nlu, "*.yml"))):
        fname = os.path.basename(path)
        for kind, name, examples in parse_nlu_file(path):
            if kind in ("synonym", "lookup"):
                checked = kind == "synonym" or name in DICT_ENTITIES
                for value in examples + ([name] if kind == "synonym" else []):
                    if checked and value not in user_words and not value.isdigit():
                        print(f"[dict] {fname}: {kind} {name}: '{value}' not in user dict")
                continue
            if kind != "intent":
                continue
            counts.setdefault((fname, name), 0)
            for example in examples:
                counts[(fname, name)] += 1
                plain, entities = strip_entities(example)
                if entities:
                    annotated[name] += 1
                key = plain
                if key in seen_exact:
                    other = seen_exact[key]
                    where = "within" if other == name else "across"
                    print(f"[dup] {where} intents: '{plain}' ({other} / {name})")
                    problems += 1
                else:
                    seen_exact[key] = name
                seen_norm[normalise(plain)].append((name, plain))
                tokens = list(jieba.tokenize(plain))
                starts = {s for _, s, _ in tokens}
                ends = {e for _, _, e in tokens}
                for start, end, entity, text in entities:
                    if start not in starts or end not in ends:
                        toks = " | ".join(w for w, _, _ in tokens)
                        print(f"[span] {fname} {name}: '{text}' ({entity}) in '{plain}' -> {toks}")
                        problems += 1
                    # digit-only values (shoe sizes like 38) stay out of the dictionary: as words they
                    # would split longer digit runs such as order ids.
                    if entity in DICT_ENTITIES and text not in user_words and not text.isdigit():
                        print(f"[dict] {fname} {name}: {entity} '{text}' not in user dict")
    for items in seen_norm.values():
        names = {n for n, _ in items}
        texts = {t for _, t in items}
        if len(texts) > 1:
            print(f"[near-dup] {sorted(texts)} in {sorted(names)}")
    if not args.quiet:
        print("\nfile                 intent                 examples annotated")
        for (fname, name), n in counts.items():
            print(f"{fname:<20} {name:<22} {n:>8} {annotated[name]:>9}")
        print(f"total examples: {sum(counts.values())}, intents: {len(counts)}")
    low = [(f, n, c) for (f, n), c in counts.items() if c < args.min_examples]
    for fname, name, c in low:
        print(f"[count] {fname} {name}: only {c} examples")
    print("span check:", "OK" if problems == 0 else f"{problems} problem(s)")
    return 1 if problems or low else 0


if __name__ == "__main__":
    sys.exit(main())
