"""A generated corpus of news-length articles for benchmarks (deterministic, offline)."""

from __future__ import annotations

import random

PEOPLE = ["Dmitry Medvedev", "Carmen Romero", "Zoë Ibáñez", "Łukasz Wróbel", "Ana Souza",
          "François Müller", "Aïssata Cissé", "Rasmus Østergaard", "Barack Obama", "Li Wei",
          "María José Pérez", "Kofi Mensah", "Ingrid Nilsson", "Omar Haddad", "Yuki Tanaka"]
ORGS = ["NATO", "the European Commission", "Brightwell Energy", "Reuters", "the United Nations",
        "Nordhavn Shipping", "the World Health Organization", "the Supreme Court",
        "Banco Central", "the Defence Ministry", "Northbridge FC", "the Red Cross"]
PLACES = ["Brussels", "Moscow", "Georgia", "Lisbon", "Warsaw", "Bamako", "Curitiba", "Antwerp",
          "Jakarta", "Copenhagen", "Rabat", "Geneva", "Kyiv", "Nairobi", "Santiago"]
VERBS = ["said", "announced", "warned", "confirmed", "denied", "told reporters",
         "insisted", "added"]
TEMPLATES = [
    "{p1} {v} on {day} that {o1} would {act} talks with {o2} in {pl1}.",
    "Officials in {pl1} {v} {num} people were injured when {o1} forces moved toward {pl2}.",
    "\u201cWe will not accept this,\u201d {p1} {v}, adding that {o2} had {amount} in reserve.",
    "{o1} shares rose {pct} after {p2} {v} a {amount} deal with {o2}.",
    "The meeting between {p1} and {p2} in {pl2} is scheduled for {day}.",
    "{p2}, a spokeswoman for {o1}, {v} the plan would cost about {amount}.",
    "Protesters gathered in {pl1} on {day} to demand that {o2} {act} the agreement.",
    "Police in {pl2} arrested {num} suspects after the attack on a convoy near {pl1}.",
]
ACTS = ["resume", "suspend", "postpone", "restart", "review", "cancel"]
DAYS = ["Monday", "Tuesday", "April 20", "May 7", "last August", "next month", "June 1"]


def make_article(rng: random.Random, index: int, target_chars: int = 3000) -> str:
    """One article: a headline, then paragraphs of template sentences (~target_chars)."""
    parts = [f"{rng.choice(ORGS).removeprefix('the ').title()} {rng.choice(ACTS)}s plan in "
             f"{rng.choice(PLACES)} (story {index})", ""]
    size = len(parts[0])
    while size < target_chars:
        para = []
        for _ in range(rng.randint(2, 4)):
            p1, p2 = rng.sample(PEOPLE, 2)
            o1, o2 = rng.sample(ORGS, 2)
            pl1, pl2 = rng.sample(PLACES, 2)
            sentence = rng.choice(TEMPLATES).format(
                p1=p1, p2=p2, o1=o1, o2=o2, pl1=pl1, pl2=pl2, v=rng.choice(VERBS),
                day=rng.choice(DAYS), act=rng.choice(ACTS), num=rng.randint(2, 1300),
                pct=f"{rng.randint(1, 40)}.{rng.randint(0, 9)}%",
                amount=f"${rng.randint(1, 900)} million")
            para.append(sentence[0].upper() + sentence[1:])
        text = " ".join(para)
        parts.append(text)
        parts.append("")
        size += len(text) + 2
    return "\n".join(parts).rstrip() + "\n"


def generate_articles(n: int, seed: int = 7, target_chars: int = 3000) -> list[str]:
    rng = random.Random(seed)
    return [make_article(rng, i, target_chars) for i in range(n)]


NAMES = PEOPLE + [o.removeprefix("the ") for o in ORGS] + PLACES
