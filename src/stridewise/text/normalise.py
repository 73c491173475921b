"""Normalise a runner's words before matching: lower case, straight quotes, contractions
expanded, common misspellings fixed. Offsets are not preserved; evidence quotes come from the
normalised text."""

from __future__ import annotations

import re

_CONTRACTIONS = [
    (r"\bcan'?t\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\bshan'?t\b", "shall not"),
    (r"\bain'?t\b", "is not"),
    (r"\b(\w+)n't\b", r"\1 not"),
    (r"\bi'm\b", "i am"),
    (r"\bim\b", "i am"),
    (r"\bi've\b", "i have"),
    (r"\bive\b", "i have"),
    (r"\bi'd\b", "i would"),
    (r"\bi'll\b", "i will"),
    (r"\b(it|that|there|what|he|she|who)'s\b", r"\1 is"),
    (r"\b(you|we|they)'re\b", r"\1 are"),
    (r"\b(you|we|they)'ve\b", r"\1 have"),
    (r"\bdont\b", "do not"),
    (r"\bdoesnt\b", "does not"),
    (r"\bdidnt\b", "did not"),
    (r"\bisnt\b", "is not"),
    (r"\bwasnt\b", "was not"),
    (r"\bhavent\b", "have not"),
    (r"\bhasnt\b", "has not"),
    (r"\bcant\b", "can not"),
    (r"\bcouldnt\b", "could not"),
    (r"\bwont\b", "will not"),
    (r"\bits\b(?= (?:been|got|gone|a |an |not|really|very|so|just|the|like|more|worse|better|getting|swollen|red|hot|sore|painful))", "it is"),
]

# Misspellings seen in how people type about feet. Whole words only.
_MISSPELLINGS = {
    "achilies": "achilles", "achillies": "achilles", "achilis": "achilles", "acheles": "achilles",
    "achillis": "achilles", "achiles": "achilles", "achillees": "achilles", "akilles": "achilles",
    "achillles": "achilles", "achilleas": "achilles", "achellies": "achilles",
    "planter": "plantar", "plantor": "plantar", "fasciitis": "fasciitis", "fascitis": "fasciitis",
    "fasciatis": "fasciitis", "fascitus": "fasciitis", "faciitis": "fasciitis",
    "ancle": "ankle", "ankel": "ankle", "ankels": "ankles", "ancles": "ankles", "anckle": "ankle",
    "heal": "heel", "heals": "heels", "hele": "heel",
    "sheen": "shin", "shinn": "shin", "shinns": "shins", "shinbone": "shin bone",
    "calve": "calf", "claf": "calf", "cafl": "calf",
    "swolen": "swollen", "swollon": "swollen", "sollen": "swollen", "swolllen": "swollen",
    "swelled": "swollen", "swolen.": "swollen", "sweling": "swelling", "swelin": "swelling",
    "bruized": "bruised", "brused": "bruised", "bruse": "bruise", "bruize": "bruise",
    "numbe": "numb", "tinglin": "tingling", "tingleing": "tingling",
    "nueroma": "neuroma", "neroma": "neuroma", "tendonitis": "tendinitis",
    "tendonosis": "tendinosis", "tendon's": "tendons", "tendan": "tendon",
    "bunnion": "bunion", "bunyon": "bunion", "toenial": "toenail", "toe-nail": "toenail",
    "ingrowen": "ingrown", "ingrowing": "ingrown", "blisster": "blister", "blistre": "blister",
    "feaver": "fever", "fevor": "fever", "fevah": "fever", "temprature": "temperature",
    "tempreture": "temperature", "diabetis": "diabetes", "diabeties": "diabetes",
    "diabetic's": "diabetic", "metatarsel": "metatarsal", "metatarsle": "metatarsal",
    "excrutiating": "excruciating", "excrusiating": "excruciating", "agonizing": "agonising",
    "breathe.": "breathe", "brething": "breathing", "breathin": "breathing",
    "runing": "running", "runnning": "running", "ruinning": "running", "jogg": "jog",
    "trainning": "training", "milage": "mileage", "mileages": "mileage",
    "painfull": "painful", "paiful": "painful", "pian": "pain", "hurst": "hurts",
    "stabing": "stabbing", "shooting.": "shooting", "burnin": "burning",
    "morining": "morning", "mornin": "morning", "mornign": "morning",
    "walkin": "walking", "standin": "standing", "limpin": "limping", "hobblin": "hobbling",
    "tiptoe's": "tiptoes", "tippy": "tip", "tippytoes": "tiptoes", "tippy-toes": "tiptoes",
    "tip-toe": "tiptoe", "tip-toes": "tiptoes", "tiptoeing": "tiptoe",
    "wieght": "weight", "wait": "wait", "weigth": "weight",
    "recieve": "receive", "definately": "definitely", "defo": "definitely",
    "foots": "foot", "feets": "feet", "arc": "arc", "archs": "arches",
    "sholder": "shoulder", "buttox": "buttocks", "butt-cheek": "buttock",
    "postpartum": "postpartum", "post-partum": "postpartum", "pregant": "pregnant",
    "contraceptive's": "contraceptive", "sesamoid's": "sesamoid",
    "navicular's": "navicular", "navicullar": "navicular",
    "tibial": "tibial", "tibia's": "tibia", "lisfranc's": "lisfranc",
    "plantarfasciitis": "plantar fasciitis", "shinsplints": "shin splints",
    "shinsplint": "shin splints", "achillestendonitis": "achilles tendinitis",
    "pf": "plantar fasciitis", "mtss": "shin splints",
    "u": "you", "ur": "your", "r": "are", "pls": "please", "tho": "though", "thru": "through",
    "cuz": "because", "coz": "because", "bc": "because", "w/": "with", "w/o": "without",
    "wk": "week", "wks": "weeks", "mo": "month", "mos": "months", "yr": "year", "yrs": "years",
    "hr": "hour", "hrs": "hours", "min": "minutes", "mins": "minutes", "km's": "km",
    "approx": "about", "abt": "about", "prob": "probably", "probs": "probably",
    "rly": "really", "v": "very", "realy": "really", "reallly": "really",
    "tho.": "though", "alot": "a lot", "abit": "a bit", "kinda": "kind of",
    "sorta": "sort of", "gonna": "going to", "wanna": "want to", "dunno": "do not know",
    "tbh": "to be honest", "idk": "i do not know", "yday": "yesterday", "2day": "today",
    "tmrw": "tomorrow", "wen": "when", "whn": "when", "wiv": "with", "b4": "before", "l": "left", "rt": "right",
}
_MISSPELL_RE = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(k) for k in sorted(_MISSPELLINGS, key=len, reverse=True))
    + r")(?![\w'])"
)
_CONTRACTION_RES = [(re.compile(p), r) for p, r in _CONTRACTIONS]
_SPACE_RE = re.compile(r"[ \t]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - ", "…": "."})


def normalise(text: str) -> str:
    """Return ``text`` lower-cased, with contractions expanded and known misspellings fixed."""
    t = text.translate(_QUOTES).lower()
    t = _MISSPELL_RE.sub(lambda m: _MISSPELLINGS[m.group(1)], t)
    for rx, repl in _CONTRACTION_RES:
        t = rx.sub(repl, t)
    # "'" left inside words (possessives) would break \b matching of common phrases.
    t = re.sub(r"(\w)'s\b", r"\1s", t)
    t = t.replace("\n", ". ")
    return _SPACE_RE.sub(" ", t).strip()
