"""Negation and hedging, NegEx-style: a cue negates the findings whose phrase starts inside its
scope, which runs to the end of the clause."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cues that deny what follows. "can not" is a cue too, but patterns such as "can not bear
# weight" contain it, and a cue inside the matched phrase itself never negates that phrase.
_NEG_CUES = re.compile(
    r"\b(?:no|not|never|without|nor|neither|none|denies|deny|nothing|free of|absence of"
    r"|rather than|instead of|no sign of|no signs of|zero|nope|nil|lack of|n't)\b"
)
# Phrases that contain a cue word but do not negate. "can't walk" and "can't feel my toes" state a
# finding; "can't find one spot" and "can't see any swelling" deny what follows, so those keep
# their cue.
_PSEUDO = re.compile(
    r"\b(?:not only|not sure|not certain|no idea|not just|no doubt|not quite sure|not too sure"
    r"|no matter|not until|no longer than|nothing helps|nothing seems to help|not improv\w*"
    r"|not getting better|not easing|not better|not settl\w*|no better|not going away"
    r"|not (?:been )?able|(?:can|could) not(?! (?:find|see|spot|pinpoint|point to|locate|notice)\b)|will not|(?:do|did) not know|not (?:\w+ ){0,2}exactly|does not (?:help|settle|ease|go away)"
    r"|did not (?:help|settle|ease|go away|work)|not had (?:a|my) period|no periods?"
    r"|not (?:the )?same|no push[- ]?off|no spring|no power|no strength|no weight|no feeling"
    r"|no pulse|not a (?:\w+ )?(?:runner|athlete)|not drink\w*|no(?:t)? stop\w*|no warning)\b"
)
# Words that end a negation's scope: punctuation and contrastive or new-clause conjunctions.
# "or when" continues a denial ("it doesn't ache at night or when I'm sitting"), so it does not.
_TERMINATORS = re.compile(
    r"[.;:!?,()]|\b(?:but|however|although|though|yet|except|apart from|which|whereas|while"
    r"|so|because|since|and (?:it|i|my|the|now|then|this|that|there|its|after|when|since|also"
    r"|is|has|have|a|an|walking|standing|running)|then|until|after|(?<!\bor )when|whenever|as soon as"
    r"|once|only"
    # a new clause with its own subject: "without any injury | my shin started aching"
    r"|(?:my|the) \w+ (?:started|began|has started|kept|keeps|went|got|has got|has gone))\b"
)
# A short question the runner answers "no" to themselves.
_ANSWERED_NO = re.compile(r"(?<![^.?!;,] )\b[^.?!;,]{1,40}\?\s*(?:no|nope|nah|none|never)\b")
# How many words after a cue it can still deny.
SCOPE_WORDS = 6
_WINDOW = re.compile(rf"(?:\W+\w+){{{SCOPE_WORDS}}}")
_HEDGES = re.compile(
    r"\b(?:maybe|perhaps|possibly|might|may be|a bit|a little|slight(?:ly)?|mild(?:ly)?"
    r"|kind of|sort of|i think|i guess|i suppose|not sure if|probably|a touch|vaguely"
    r"|somewhat|a tad|faint(?:ly)?)\b"
)
_UNCERTAIN = re.compile(
    r"\b(?:not sure (?:if|whether|about)|no idea (?:if|whether)|can not tell (?:if|whether)"
    r"|do not know (?:if|whether)|hard to (?:tell|say) (?:if|whether)|not (?:really )?sure"
    # what they have read or fear could happen ("I read it can make them snap") is not a report
    r"|(?:read|heard|was told|told me|scared|afraid|worried|terrified) (?:that )?"
    r"(?:it|they|this|these|tendons?) (?:can|could|might|may|will) (?:make (?:it|them) )?)\b"
)


@dataclass(frozen=True)
class Scope:
    start: int
    end: int


def negation_scopes(text: str) -> list[Scope]:
    """Spans of ``text`` governed by a negation cue."""
    pseudo = [m.span() for m in _PSEUDO.finditer(text)]
    scopes: list[Scope] = []
    for cue in _NEG_CUES.finditer(text):
        if any(a <= cue.start() < b for a, b in pseudo):
            continue
        term = _TERMINATORS.search(text, cue.end())
        end = term.start() if term else len(text)
        # NegEx-style window: a cue reaches only a few words ahead ("without any injury
        # my shin started aching" does not deny the shin).
        window = _WINDOW.match(text, cue.end())
        if window:
            end = min(end, window.end())
        scopes.append(Scope(cue.start(), end))
    # Questions answered "no": "Swelling? No. Other joints? No."
    for q in _ANSWERED_NO.finditer(text):
        scopes.append(Scope(q.start() - 1, q.end()))
    return scopes


def is_negated(scopes: list[Scope], start: int) -> bool:
    """True when a match starting at ``start`` begins inside a scope whose cue precedes it."""
    return any(s.start < start < s.end for s in scopes)


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause containing [start, end), bounded by sentence punctuation."""
    left = max(text.rfind(ch, 0, start) for ch in ".;!?")
    right_candidates = [i for i in (text.find(ch, end) for ch in ".;!?") if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return left + 1, right


def is_hedged(text: str, start: int, end: int) -> bool:
    """True when a hedge word sits in the same clause shortly before the match."""
    lo, _ = clause_around(text, start, end)
    window = text[max(lo, start - 40) : start]
    return bool(_HEDGES.search(window))


def is_uncertain(text: str, start: int, end: int) -> bool:
    """True for "not sure if it's swollen": the runner does not know, so it is no evidence."""
    lo, _ = clause_around(text, start, end)
    window = text[max(lo, start - 50) : start]
    return bool(_UNCERTAIN.search(window))
