"""Runners often name what they think they have ("probably just shin splints"). A self-diagnosis
is not evidence: within a guessing frame we blank out the diagnostic words, so only what the
runner describes counts. Anatomical words ("shin", "achilles") stay, because where it hurts is
still reported correctly."""

from __future__ import annotations

import re

from stridewise.text.literals import Expr
from stridewise.text.scanner import Scanner

# Tried only where an anchor begins (scanner.py): a long alternation read from every text.
_FRAME = Scanner(
    Expr(
        r"\b(?:i think|i thought|i reckon|i guess\w*|i would guess\w*|guess\w*|i suspect|i am (?:pretty |fairly |quite |almost |100% )?"
        r"(?:sure|convinced|certain|positive)|probably|maybe|might be|could be|must be|assum\w*"
        r"|google\w*|dr google|diagnosed myself|self[- ]diagnos\w*|worried|afraid|scared|hoping"
        r"|hopefully|presum\w*|figured|classic|typical|textbook|surely|pretty sure|read (?:online|that)"
        r"|looked (?:it )?up|(?:my|a|the) (?:friend|coach|mate|wife|husband|partner|mum|dad|mom"
        r"|physio|trainer|club|teammate|brother|sister|colleague|boss|pt|running group|people)s?"
        r" (?:says?|thinks?|said|reckons?|told|suggested|swears?)|some(?:one|body) (?:said|told)"
        r"|told me|they said|feels like (?:it is )?(?:a|an|my)|i am calling it|seems like"
        # "I have decided it is plantar fasciitis", "makes me think gout", "could it be gout?"
        r"|i (?:have )?decided (?:it is|that|this is)|(?:makes|made|making) me think"
        r"|thinking (?:it is|it might|it could|it may|this is|maybe)|wondering (?:if|whether)|wonder if"
        r"|could (?:it|this) be|is (?:it|this)|convinced|sure it is)\b"
    )
)
_DIAGNOSTIC = re.compile(
    r"\b(?:plantar fasci\w+|fasci\w+|splints?|stress (?:fracture|reaction)s?|fractur\w*|break"
    r"|broken|tendin\w+|tendon\w*itis|tendonosis|neuroma|sprain\w*|bursitis|(?:heel )?spurs?"
    r"|gout|sciatica|(?:blood )?clot|dvt|compartment syndrome|metatarsalgia|sesamoiditis"
    r"|arthritis|bunions?|infect\w*|cellulitis|blisters?|pulled (?:muscle|calf|hamstring)"
    r"|strain\w*|torn|tear|ruptur\w*|cramp\w*|sore muscles|doms|tight muscles|muscle (?:soreness|ache)"
    r"|tired legs|growing pains|turf toe|flat feet|fallen arches?|morton\w*|sever\w*"
    r"|navicular|lisfranc|jones|haglund\w*|tarsal tunnel|neuropathy|bruise|nothing serious"
    r"|overuse|niggle)\b"
)
_CLAUSE_END = re.compile(r"[.;!?]|\bbut\b|\bhowever\b|\balthough\b|\bthough\b")


def mask_self_diagnosis(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with guessed diagnoses blanked (same length) and the phrases blanked."""
    chars = list(text)
    masked: list[str] = []
    for frame in _FRAME.finditer(text):
        end_m = _CLAUSE_END.search(text, frame.end())
        end = end_m.start() if end_m else len(text)
        for d in _DIAGNOSTIC.finditer(text, frame.end(), end):
            masked.append(d.group(0))
            for i in range(d.start(), d.end()):
                chars[i] = "x" if chars[i] != " " else " "
    return "".join(chars), masked
