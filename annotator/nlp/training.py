"""A ready ``config.cfg`` for ``python -m spacy train``, made by spaCy's own ``init config``.

``write_config`` asks ``spacy.cli.init_config.init_config`` for the recommended CPU/efficiency
config of the pipeline (``ner``, ``spancat`` or both), then fills in ``paths.train`` and
``paths.dev`` (absolute paths; override with ``--paths.train``/``--paths.dev``), the span group
key of spancat and, if the data holds longer spans than spaCy's default ``[1, 2, 3]``, spancat
n-gram suggester sizes that cover them. Everything else (``training.max_steps`` = 20000 with
``patience`` = 1600, batch sizes, widths) stays spaCy's default for the user to tune.

``read_config`` and ``read_docbin`` read the files back (tests, the GUI's export preview).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PIPELINES = ("ner", "spancat")
# The model in the loop (Annotate > Train model): the entity recogniser for flat names (its
# beam search scores them) and a span categoriser beside it, for what a flat NER cannot
# give: nested spans ("Russian" inside "Russian diplomat") and nominal mentions, each with
# its own probability, so the score floor of Suggest drops the unlikely ones
LOOP_PIPELINE = ("ner", "spancat")
MAX_SUGGESTER_SIZE = 12  # n-gram suggester sizes above this cost more than they give


def parse_pipeline(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``"ner"``, ``"spancat"``, ``"ner,spancat"`` (or a list) -> component names."""
    from annotator.errors import ExportError

    if value is None or value == "":
        return ["ner"]
    items = value.split(",") if isinstance(value, str) else list(value)
    names = [x.strip() for x in items if x.strip()]
    bad = [x for x in names if x not in PIPELINES]
    if bad or not names:
        raise ExportError(f"pipeline must be ner, spancat or ner,spancat; got {value!r}")
    return list(dict.fromkeys(names))


def make_config(lang: str, pipeline: list[str], train: Path | str, dev: Path | str, *,
                spans_key: str = "sc", max_span_len: int = 0,
                max_steps: int | None = None) -> Any:
    """The confection ``Config`` for ``spacy train`` (see the module docstring)."""
    from spacy.cli.init_config import init_config

    config = init_config(lang=lang, pipeline=list(pipeline), optimize="efficiency", gpu=False,
                         silent=True)
    config["paths"]["train"] = str(Path(train).resolve())
    config["paths"]["dev"] = str(Path(dev).resolve())
    if "spancat" in pipeline:
        spancat = config["components"]["spancat"]
        spancat["spans_key"] = spans_key
        if max_span_len > 3:
            top = min(max_span_len, MAX_SUGGESTER_SIZE)
            spancat["suggester"]["sizes"] = list(range(1, top + 1))
        weights = config["training"]["score_weights"]
        if spans_key != "sc":
            for suffix in ("f", "p", "r"):
                value = weights.pop(f"spans_sc_{suffix}", None)
                if value is not None:
                    weights[f"spans_{spans_key}_{suffix}"] = value
    if max_steps is not None:
        config["training"]["max_steps"] = int(max_steps)
    return config


def write_config(path: Path, lang: str, pipeline: list[str], train: Path | str,
                 dev: Path | str, **kwargs: Any) -> Path:
    config = make_config(lang, pipeline, train, dev, **kwargs)
    config.to_disk(path)
    return path


def read_config(path: Path | str) -> Any:
    """The config as spaCy loads it (interpolation off, so ``${...}`` references stay)."""
    from spacy.util import load_config

    return load_config(Path(path), interpolate=False)


def read_docbin(path: Path | str, lang: str = "en") -> list[Any]:
    """The Docs of a ``.spacy`` file, with ``user_data`` (read it with
    ``annotator.formats.spacy_docbin.read_user_data``)."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank(lang)
    return list(DocBin().from_disk(Path(path)).get_docs(nlp.vocab))


def train_pipeline(config_path: Path | str, output: Path | str, *,
                   overrides: dict[str, Any] | None = None) -> Path:
    """Run ``spacy train`` on a written config (in this process); returns the best model's
    folder (``model-best``, or ``model-last`` when training stopped before an evaluation)."""
    from spacy.cli.train import train

    output = Path(output)
    train(Path(config_path), output, overrides=dict(overrides or {}))
    best = output / "model-best"
    return best if best.exists() else output / "model-last"
