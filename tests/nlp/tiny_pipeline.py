"""A tiny spaCy NER pipeline trained in the test run (never downloaded): spacy.blank("en")
and three sentences about NATO and Kabul, saved to a folder that ``spacy.load`` reads."""

from __future__ import annotations

from pathlib import Path

TRAIN = [
    ("NATO troops attacked Kabul on Monday.", [(0, 4, "ORG"), (21, 26, "GPE")]),
    ("Reuters said NATO left Kabul.", [(0, 7, "ORG"), (13, 17, "ORG"), (23, 28, "GPE")]),
    ("Officials in Kabul met NATO.", [(13, 18, "GPE"), (23, 27, "ORG")]),
]


def train_tiny(path: Path, iterations: int = 40) -> Path:
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in ("ORG", "GPE"):
        ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(iterations):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    nlp.to_disk(path)
    return path
