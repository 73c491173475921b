"""A second, minor problem mentioned in passing ("Oh and I've got a black toenail from the
downhills, which doesn't bother me"). Its findings are real and stay present, so a red flag in
it still fires, but they should not decide the differential when the main story is elsewhere:
the runner is asking about the swollen forefoot, not the painless nail.

A sentence is an aside when it names a minor skin or nail problem and either is introduced as an
addition ("also", "oh and", "by the way") or dismisses it ("doesn't hurt", "drying up nicely").
It only counts as an aside when the rest of the text still says where the main pain is."""

from __future__ import annotations

import re

from stridewise.text.literals import Expr

# Findings from an aside count for this fraction of a plain statement in the model.
ASIDE_WEIGHT = 0.25

_SENTENCE = re.compile(r"[^.!?;\n]+")
_MINOR = Expr(
    r"\b(?:(?:toe)?nails?|blisters?|rubbed raw|raw (?:bit|patch|spot|skin)|chaf\w+|callus\w*"
    r"|corns?|hot ?spots?)\b"
)
_LEAD = Expr(
    r"^\W*(?:also|oh and|and also|plus|separately|by the way|btw|unrelated(?:ly)?|as an aside"
    r"|on a (?:separate|different|side) note|(?:i|he|she) (?:have|has|had) also (?:got|had)"
    r"|(?:i|he|she) also (?:have|has|had|got))\b"
)
_DISMISS = Expr(
    r"\b(?:(?:does not|did not|do not|is not|has not) (?:really |even )?(?:hurt|bother|worry|"
    r"affect|matter)\w*|not (?:bothering|bothered|sore|painful|a problem|an issue)|no bother"
    r"|drying (?:up|out)|healing (?:up|nicely|well|fine)|(?:looks?|is) (?:grim|gross|ugly|awful"
    r"|horrible|disgusting) but|painless)\b"
)


def aside_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences that mention a minor problem in passing."""
    # A sentence is bounded by non-word characters, so a minor problem it names is a match in
    # the whole text too: a text without one (most) has no sentence to read.
    if _MINOR.search(text) is None:
        return []
    out = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        if _MINOR.search(sentence) and (_LEAD.search(sentence) or _DISMISS.search(sentence)):
            out.append(m.span())
    return out


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by spaces, so offsets elsewhere are unchanged."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)
