"""Choose the next question, or decide to stop. Stateless: the evidence so far is the state.

1. An emergency red flag ends the interview at once. An emergency that only the probabilities
   raise is kept, while the emergency warning signs that would confirm it are asked.
2. Age and sex first, when unknown.
3. Whether they can walk on it and where it hurts, when the words do not say (one of the
   KB's places, or "the whole foot").
   Then safety questions from the KB (can you walk on it; for leg pain, is it severe), then
   red-flag screening: any urgent or emergency rule that one more "yes" would fire, when that
   "yes" is at all plausible given the current differential, is asked before anything else.
4. Otherwise the question with the highest expected information gain over the differential,
   flattened so that a cause the first sentence made unlikely is still worth its telling
   question; plus the information over "graver than the current level or not", so a look-alike
   that needs care sooner is told apart; plus a bonus for answers that would change the level.
5. Stop when the leader is confident and clearly ahead, when the top three hold 95% of the
   probability (what the runner is shown is then settled), when the leader and the level are
   settled after a few questions (each with where it hurts known and no graver look-alike in
   view), when no question is worth asking, or once 12 follow-up questions are asked. Before
   stopping the red flags are swept once more at a lower bar, and the leader's own urgent
   warning rules are finished (each of the top three's, for a top-3 stop); the sweep starts two
   questions before the cap so it replaces the least useful questions. Half-present warning
   patterns are finished even past the screening budget, and red-flag screening may run on to
   the hard cap of 15; from question 12 on, only patterns a sign already half-shows (not merely
   an injury) are.
6. Before a self-care stop, the serious look-alikes a first sentence can hide are asked once,
   while the interview is still short: for leg pain, a swollen calf (a clot); for any place,
   low back pain (a pinched nerve). A part's parent ("in the heel" after "under the heel") is
   never asked: the part settles it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stridewise.errors import InterviewError
from stridewise.interview.bank import DEMOGRAPHIC_IDS, Question, QuestionBank
from stridewise.interview.schemas import InterviewRequest, InterviewStep, QuestionOut, StopReason
from stridewise.kb.implications import with_parents
from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import FindingGroup, TriageLevel
from stridewise.triage.engine import Analysis
from stridewise.triage.schemas import AnswerValue, AssessmentRequest
from stridewise.triage.urgency import decide, rule_fires

if TYPE_CHECKING:
    from stridewise.engine import Engine

MAX_QUESTIONS = 15  # hard cap, reached only by red-flag screening
MAX_GAIN_QUESTIONS = 12  # after this many, only warning signs are still asked
CONFIDENT_TOP = 0.8
CONFIDENT_MARGIN = 0.6
GRAVER_IN_VIEW = 0.05  # a more urgent look-alike at least this likely keeps the interview going
# "Settled": after SETTLED_AFTER questions a clear leader is not worth more questions either.
SETTLED_AFTER = 7
SETTLED_TOP = 0.7
SETTLED_MARGIN = 0.45
MIN_GAIN = 0.04  # bits (plus triage bonus) below which a question is not worth the runner's time
# A red-flag rule is screened when the chance it fires (under a flattened posterior) is at least:
SCREEN_MIN_CHANCE = {TriageLevel.emergency: 0.02, TriageLevel.urgent: 0.05}
# Screening order: chance the rule fires times how much it matters, so a likely urgent flag
# (Ottawa after a twist) is not crowded out by a remote emergency one.
SCREEN_WEIGHT = {TriageLevel.emergency: 4.0, TriageLevel.urgent: 1.0}
PARTIAL_SCALE = 0.1  # threshold factor for a rule with one clause left and another clause met
SWEEP_SCALE = 0.4  # before stopping, screen once more at a fifth of the threshold
SCREEN_FLATTEN = 0.35  # posterior ** this, renormalised: keeps rare dangerous causes in view
MAX_SCREEN = 6  # answered red-flag findings after which screening stops
# From this many follow-up answers on, only warning patterns already half-shown by a sign (a red
# wound, a swollen calf) are still finished: how an injury began alone no longer reopens every
# injury rule, which ran the interview for a plain rolled ankle to the cap.
LATE_AFTER = MAX_GAIN_QUESTIONS
TRIAGE_BONUS = 0.35  # bits credited per unit probability of changing the triage level
TRIAGE_CHECK_TOP = 10
SCREEN_WHY = "This checks for a warning sign that would need care quickly."
WHERE_QUESTION = "choice:where"
LEADER_SCREEN_MIN = 0.5  # the leader's own warning rules are checked before stopping
LEADER_OPEN_CLAUSES = 2  # ... when at most this many of a rule's clauses are still open
# The leader's own rule is the likeliest to fire: two "don't know"s to a clause's options (does
# it hurt to walk? to hop?) leave a third (do you limp?) worth asking before settling lower.
LEADER_CLAUSE_TRIES = 3
ANSWER_VALUES = ("present", "absent", "unknown")
# The question choice weighs the differential flattened (posterior ** this): the first sentence
# often points the wrong way, and a cause at 2% deserves its telling question before it is lost.
GAIN_FLATTEN = 0.8
# Information about "needs care sooner than the current level, or not" is worth this much on top
# of the information over the differential: a graver look-alike must be told apart, not only
# the leader pinned down.
URGENT_GAIN_WEIGHT = 1.0
# Top-3 stop: the three shown hold this much of the posterior (98.7% of interview steps at this
# mass had the answer in the top three, session-6 analysis), once each of the three conditions
# at least TOP3_SCREEN_MIN likely has had its own urgent warning rule checked.
TOP3_MASS = 0.95
TOP3_SCREEN_MIN = 0.15
# The final red-flag sweep starts this many questions before the gain cap, so the warning signs
# take the place of the last, least useful questions instead of running past 12.
SWEEP_EARLY = 2
# Before a self-care stop, bone tenderness is asked when conditions that usually show it (a
# likelihood of at least BONE_LIKELY) together hold at least BONE_IN_VIEW.
BONE_QUESTION = "bone_tender"
BONE_LIKELY = 0.5
BONE_IN_VIEW = 0.02
# Before a self-care stop, the serious look-alikes a runner may not mention first are checked
# once each: for leg pain a clot, and a nerve root in the back (felt in the heel, sole or leg).
# A story can hold two problems, and a first sentence about the benign one hides the other:
# the differential cannot see it (the clot or the nerve was at 1e-4 to 1e-5 in such cases), so
# the check does not wait for it to. (finding, places that make it worth asking, empty for any
# place; asked only while fewer than this many follow-up questions were asked, so it uses an
# early stop's spare budget: the back question on every self-care stop raised the median to 9.)
MIMIC_CHECKS: tuple[tuple[str, frozenset[str], int], ...] = (
    ("calf_swollen_one_side", frozenset({"loc_shin", "loc_calf", "loc_achilles"}), 10),
    ("back_pain", frozenset(), 7),
)
MIMIC_WHY = {
    "back_pain": "A nerve pinched in the back can be felt as pain in the foot or leg, so we "
    "check for back pain before suggesting self-care.",
}


@dataclass(frozen=True)
class Candidate:
    question: Question
    score: float
    why: str | None = None


def _entropy(ps: list[float]) -> float:
    return -sum(p * math.log2(p) for p in ps if p > 0)


def _entropy_of(weights: list[float]) -> float:
    """Entropy of unnormalised weights."""
    z = sum(weights) or 1.0
    return _entropy([w / z for w in weights])


# Where it hurts and how it began open a warning pattern; a sign (swelling, redness) half-fills it.
_GATE_GROUPS = frozenset({FindingGroup.location, FindingGroup.onset})

# "Somewhere in the foot" and "a skin problem" do not say which part hurts.
_VAGUE_LOCATIONS = frozenset({"loc_foot", "loc_skin", "loc_whole_foot"})


def _is_specific_location(kb: KnowledgeBase, fid: str) -> bool:
    return (
        fid.startswith("loc_")
        and fid not in _VAGUE_LOCATIONS
        and kb.findings[fid].group == FindingGroup.location
    )


def asked_count(bank: QuestionBank, answers: Mapping[str, str]) -> int:
    """Follow-up answers given so far; a single-choice group counts once. A group whose options
    are all "unknown" was one "not sure", even when its options are yes/no questions too."""
    seen_groups: set[str] = set()
    n = 0
    for fid in answers:
        if fid in DEMOGRAPHIC_IDS:
            continue
        group = next((q for q in bank.choices() if fid in q.findings), None)
        not_sure = group is not None and all(answers.get(f) == "unknown" for f in group.findings)
        if group and (fid not in bank.kb.questions or not_sure):
            if group.id not in seen_groups:
                seen_groups.add(group.id)
                n += 1
        else:
            n += 1
    return n


class Selector:
    def __init__(self, analysis: Analysis, bank: QuestionBank, answers: Mapping[str, str]) -> None:
        self.a = analysis
        self.kb = analysis.kb
        self.bank = bank
        self.answers = answers
        self.present = analysis.present()
        # A part's parent is settled by the part: after "under the heel", "is it in your heel?"
        # would only be the same answer asked twice.
        self.known = set(answers) | set(analysis.known()) | with_parents(self.kb, self.present)
        self.post = {s.condition: s.probability for s in analysis.ranked}
        self.power = analysis.sharpness
        flat = {c: p**SCREEN_FLATTEN for c, p in self.post.items()}
        z = sum(flat.values()) or 1.0
        self.screen_post = {c: v / z for c, v in flat.items()}
        self.choice_options = {f for q in bank.choices() for f in q.findings}
        self.late = asked_count(bank, answers) >= LATE_AFTER
        self.flag_findings = {
            f
            for r in self.kb.red_flags
            if r.level >= TriageLevel.urgent
            for f in (*r.all_of, *r.any_of, *r.any_of_2)
        }

    def _p_yes(self, fid: str) -> float:
        return sum(p * self.a.likelihood(c, fid) for c, p in self.post.items())

    def _lik(self, cid: str, fid: str) -> float:
        return self.a.likelihood(cid, fid)

    def _prepare_gain(self) -> None:
        """The flattened differential the gain is computed over, and the split into conditions
        graver than the current level and the rest."""
        flat = {c: p**GAIN_FLATTEN for c, p in self.post.items()}
        z = sum(flat.values()) or 1.0
        self.gpost = {c: v / z for c, v in flat.items()}
        self.h0 = _entropy(list(self.gpost.values()))
        level = self.a.level
        self.graver = [c for c in self.post if self.kb.conditions[c].triage > level]
        self.milder = [c for c in self.post if self.kb.conditions[c].triage <= level]
        p_graver = sum(self.post[c] for c in self.graver)
        self.hg0 = _entropy([p_graver, 1 - p_graver])

    def _gain_yes_no(self, fid: str) -> tuple[float, float]:
        """Expected information over the (flattened) differential, plus URGENT_GAIN_WEIGHT times
        the expected information over graver-or-not; and P(yes)."""
        pw = self.power
        lik = {c: self._lik(c, fid) for c in self.post}
        p_yes = sum(p * lik[c] for c, p in self.gpost.items())
        h_yes = _entropy_of([p * lik[c] ** pw for c, p in self.gpost.items()])
        h_no = _entropy_of([p * (1 - lik[c]) ** pw for c, p in self.gpost.items()])
        gain = self.h0 - p_yes * h_yes - (1 - p_yes) * h_no
        if self.graver and self.milder and self.hg0 > 0:
            post = self.post

            def mass(cs: list[str], yes: bool) -> float:
                return float(sum(post[c] * (lik[c] if yes else 1 - lik[c]) ** pw for c in cs))

            py = sum(post[c] * lik[c] for c in post)
            h_yes_g = _entropy_of([mass(self.graver, True), mass(self.milder, True)])
            h_no_g = _entropy_of([mass(self.graver, False), mass(self.milder, False)])
            gain += URGENT_GAIN_WEIGHT * (self.hg0 - py * h_yes_g - (1 - py) * h_no_g)
        return gain, p_yes

    def _gain_choice(self, q: Question) -> float:
        pw = self.power
        weights = {f: sum(p * self._lik(c, f) for c, p in self.gpost.items()) for f in q.findings}
        z = sum(weights.values()) or 1.0
        h = 0.0
        for f, w in weights.items():
            h += (w / z) * _entropy_of([p * self._lik(c, f) ** pw for c, p in self.gpost.items()])
        return self.h0 - h

    def _triage_change_p(self, fid: str, p_yes: float) -> float:
        current = self.a.level
        level_yes = decide(self.kb, self.present | {fid}, self.a.ranked, self.a.age).level
        return p_yes if level_yes != current else 0.0

    def _p_screen(self, fid: str) -> float:
        """P(yes) under a flattened posterior, so rare dangerous conditions still count."""
        return float(sum(q * self._lik(c, fid) for c, q in self.screen_post.items()))

    def safety_screen(self, *, first_only: bool = False) -> Candidate | None:
        """The first of the KB's safety questions that fits and is still open, while the level
        is below the question's ``asked_below`` (urgent by default); with ``first_only``, only
        the very first (can you walk on it)."""
        where = with_parents(self.kb, self.present)
        for sq in self.kb.safety_questions[:1] if first_only else self.kb.safety_questions:
            if sq.finding in self.known or self.a.level >= sq.asked_below:
                continue
            if sq.when_any and not any(f in where for f in sq.when_any):
                continue
            if sq.min_age is not None and (self.a.age is None or self.a.age < sq.min_age):
                continue
            return Candidate(self.bank.questions[sq.finding], float("inf"), sq.why)
        return None

    def _clause_asked(self, clauses: list[list[str]], tries: int = 2) -> bool:
        """Whether an open clause of a rule is settled enough: one of its options answered "no",
        or ``tries`` answered at all (one "don't know" leaves the clause's other options worth
        asking)."""
        return any(
            not any(f in self.present for f in clause)
            and (
                any(self.answers.get(f) == "absent" for f in clause)
                or sum(1 for f in clause if f in self.answers) >= tries
            )
            for clause in clauses
        )

    def red_flag_screen(self, scale: float = 1.0, *, confirm: bool = False) -> Candidate | None:
        """The red-flag question to ask now, if any rule one or two answers from firing is
        plausible enough. Answers are explicit; what the text already says counts as known.

        Only rules above the current level are screened; with ``confirm``, rules above the floor
        the red flags alone set, to confirm or rule out a level the probabilities raised."""
        # A "not sure" to a single-choice question marks all its options unknown: one answer,
        # not a dozen screened warning signs.
        answered_flags = sum(
            1
            for f, v in self.answers.items()
            if f in self.flag_findings and not (v == "unknown" and f in self.choice_options)
        )
        # Past the screening budget only half-present patterns are still finished: a wound that
        # is red in a runner with diabetes is worth the one question about fever.
        budget_spent = answered_flags >= MAX_SCREEN
        best: tuple[float, int, str] | None = None
        current = self.a.flag_level if confirm else self.a.level
        for rule in self.kb.red_flags:
            if rule.level < TriageLevel.urgent or rule_fires(rule, self.present, self.a.age):
                continue
            if rule.level <= current:
                continue  # it could not raise the level: not worth a screening question
            if confirm and rule.level < TriageLevel.emergency:
                continue
            if any(f in self.present for f in rule.none_of):
                continue
            clauses = [[f] for f in rule.all_of] + [c for c in (rule.any_of, rule.any_of_2) if c]
            open_clauses: list[list[tuple[float, str]]] = []
            matched = False  # a clause is met by a sign: not where it hurts, not how it began
            mechanism = False  # a clause is met by how it began (an injury)
            for clause in clauses:
                if any(f in self.present for f in clause):
                    groups = {self.kb.findings[f].group for f in clause if f in self.present}
                    matched = matched or bool(groups - _GATE_GROUPS)
                    mechanism = mechanism or FindingGroup.onset in groups
                    continue
                options = [
                    (self._p_screen(f), f)
                    for f in clause
                    if f not in self.known
                    and f in self.bank
                    and self.bank.questions[f].fits(self.present)
                ]
                if not options:
                    break  # this clause can no longer be satisfied: the rule cannot fire
                open_clauses.append(sorted(options, reverse=True))
            else:
                if not open_clauses or len(open_clauses) > 2:
                    continue
                chance = math.prod(opts[0][0] for opts in open_clauses)
                threshold = SCREEN_MIN_CHANCE[rule.level] * scale
                # Two open clauses count as half a pattern too when neither is a place: a wound
                # is there, so whether it is red and whether it is swollen are worth asking.
                partial = (
                    (matched or mechanism)
                    and (
                        len(open_clauses) == 1
                        or not any(
                            all(self.kb.findings[f].group == "location" for _, f in opts)
                            for opts in open_clauses
                        )
                    )
                    and not self._clause_asked(clauses, tries=2 if matched else 1)
                )
                # An injury alone makes every injury rule half-met; past the budget only a
                # half-present sign (a wound that is red, a swollen calf) is still finished at
                # the lowered bar, and an injury's rules must clear the usual one (the Ottawa
                # questions after a twist do; compartment syndrome after a stubbed toe does not).
                mechanism_only = partial and not matched
                if self.late and not matched:
                    continue
                if budget_spent and not partial:
                    continue
                if partial and not (budget_spent and mechanism_only):
                    # Half the warning pattern is already there: finish checking it even when
                    # the differential thinks the rest unlikely. One answer per open clause is
                    # enough at this lowered bar; its other options must clear the usual one.
                    threshold *= PARTIAL_SCALE
                if chance < threshold:
                    continue
                _, fid = max(opts[0] for opts in open_clauses)
                key = (chance * SCREEN_WEIGHT[rule.level], rule.level.rank, fid)
                if best is None or key > best:
                    best = key
        if best is None:
            return None
        return Candidate(self.bank.questions[best[2]], float("inf"), SCREEN_WHY)

    def leader_screen(self, min_p: float = LEADER_SCREEN_MIN) -> Candidate | None:
        """Before stopping: an open clause of a leading condition's own urgent warning rule
        (a blister's spreading redness or fever; a tender navicular that hurts to walk on), when
        one or two answers would raise the level and no open clause was already answered. The
        leaders are the top three conditions at least ``min_p`` likely."""
        best: tuple[float, str] | None = None
        for lead in self.a.ranked[:3]:
            if lead.probability < min_p:
                continue
            for ur in self.kb.conditions[lead.condition].urgency_rules:
                if ur.level < TriageLevel.urgent or ur.level <= self.a.level:
                    continue
                clauses = [[f] for f in ur.all_of] + ([ur.any_of] if ur.any_of else [])
                open_clauses = [c for c in clauses if not any(f in self.present for f in c)]
                # The step up to urgent care earns a third try; an emergency rule is screened
                # with the other warning signs already.
                tries = LEADER_CLAUSE_TRIES if self.a.level < TriageLevel.urgent else 2
                if not 1 <= len(open_clauses) <= LEADER_OPEN_CLAUSES or self._clause_asked(
                    open_clauses, tries
                ):
                    continue
                askable = [
                    [
                        f
                        for f in clause
                        if f not in self.known
                        and f in self.bank
                        and self.bank.questions[f].fits(self.present)
                    ]
                    for clause in open_clauses
                ]
                if not all(askable):
                    continue  # a clause nobody can answer now: the rule cannot fire
                for f in (f for opts in askable for f in opts):
                    key = (self._p_screen(f), f)
                    if best is None or key > best:
                        best = key
        if best is None:
            return None
        return Candidate(self.bank.questions[best[1]], float("inf"), SCREEN_WHY)

    def bone_check(self) -> Candidate | None:
        """Before sending a runner home with self-care: "is one spot on the bone tender?", when
        a bone injury is at all in view. Pinpoint bone tenderness is how a stress fracture shows
        itself (Mayer 2014), the injury runners most often walk on, and a "yes" alone makes the
        result a clinician's examination (``bone_tender`` in triage/urgency.py). Like the final
        sweep it may be asked once past the 12-question budget: measured on every evaluation
        set, it was worth most there (the cases whose first sentence pointed elsewhere)."""
        q = self.bank.questions.get(BONE_QUESTION)
        if q is None or self.a.level != TriageLevel.self_care or BONE_QUESTION in self.known:
            return None
        in_view = sum(p for c, p in self.post.items() if self._lik(c, BONE_QUESTION) >= BONE_LIKELY)
        if in_view < BONE_IN_VIEW:
            return None
        # Its own "why" (a sign of a stress fracture), not the warning-sign wording: a "yes"
        # asks for an examination, not care quickly.
        return Candidate(q, 0.0)

    def mimic_check(self, asked: int) -> Candidate | None:
        """Before a self-care stop: the first of MIMIC_CHECKS still open whose place fits, so a
        serious second problem behind a benign first sentence is asked about once."""
        if self.a.level != TriageLevel.self_care:
            return None
        where = with_parents(self.kb, self.present)
        for fid, places, before in MIMIC_CHECKS:
            if asked >= before or fid in self.known or fid not in self.bank:
                continue
            if places and not places & where:
                continue
            return Candidate(self.bank.questions[fid], 0.0, MIMIC_WHY.get(fid))
        return None

    def best_by_gain(self) -> Candidate | None:
        self._prepare_gain()
        scored: list[tuple[float, float, Question]] = []
        for q in self.bank.yes_no():
            if q.id in self.known or not q.fits(self.present):
                continue
            gain, p_yes = self._gain_yes_no(q.id)
            scored.append((gain, p_yes, q))
        for q in self.bank.choices():
            if any(f in self.known for f in q.findings):
                continue
            scored.append((self._gain_choice(q), 0.0, q))
        if not scored:
            return None
        scored.sort(key=lambda t: -t[0])
        best: Candidate | None = None
        for rank, (gain, p_yes, q) in enumerate(scored):
            score = gain
            if rank < TRIAGE_CHECK_TOP and q.kind == "yes_no":
                score += TRIAGE_BONUS * self._triage_change_p(q.id, p_yes)
            if best is None or score > best.score:
                best = Candidate(q, score)
        return best


def expand_answers(bank: QuestionBank, answers: Mapping[str, str]) -> dict[str, str]:
    """``answers`` keyed by finding id: a single-choice question's own answer
    (``{"choice:where": "loc_arch"}`` or ``"unknown"``) becomes the finding answers it stands
    for. An answer keyed by a finding id wins over what a choice says about that finding.

    Raises InterviewError for an unknown question id or a value its question does not take."""
    direct: dict[str, str] = {}
    chosen: dict[str, str] = {}
    bad: list[str] = []
    for key, value in answers.items():
        q = bank.questions.get(key)
        if q is not None and q.kind == "single_choice":
            chosen = apply_answer(bank, chosen, key, value)
        elif key in bank.kb.findings or key in DEMOGRAPHIC_IDS:
            if value not in ANSWER_VALUES:
                raise InterviewError(
                    f"the answer to {key} must be present, absent or unknown, not {value!r}"
                )
            direct[key] = value
        else:
            bad.append(key)
    if bad:
        raise InterviewError(f"unknown question id: {', '.join(sorted(bad))}")
    return {**chosen, **direct} if chosen else direct


def next_step(engine: Engine, req: AssessmentRequest | InterviewRequest) -> InterviewStep:
    """The next question for this evidence, or the reason to stop, with the assessment so far.

    ``req.answers`` is keyed by question id (see :class:`InterviewRequest`); it may also hold
    ``"age"``/``"sex"`` set to ``"unknown"`` when the runner declined to say. Raises
    InterviewError for an answer to an unknown question id or with a value it does not take."""
    bank = engine.bank
    answers = expand_answers(bank, req.answers)
    declined = {k for k in DEMOGRAPHIC_IDS if k in answers}
    clean: dict[str, AnswerValue] = {
        k: v  # type: ignore[misc]  # expand_answers checked every value
        for k, v in answers.items()
        if k not in DEMOGRAPHIC_IDS
    }
    # Every field was validated with the request; only the answers were rewritten.
    assessment_req = AssessmentRequest.model_construct(
        text=req.text, age=req.age, sex=req.sex, answers=clean
    )
    analysis = engine.analyse(assessment_req)
    result = analysis.result()
    asked = asked_count(bank, clean)

    def step(candidate: Candidate | None, reason: StopReason | None) -> InterviewStep:
        return InterviewStep(
            question=candidate.question.out(bank.kb, candidate.why) if candidate else None,
            should_stop=candidate is None,
            stop_reason=reason,
            asked=asked,
            max_questions=MAX_QUESTIONS,
            assessment=result,
        )

    if analysis.flag_level == TriageLevel.emergency:
        return step(None, "emergency")
    if analysis.level == TriageLevel.emergency:
        # Only the probabilities say emergency: the result already says so, but the emergency
        # warning signs are worth confirming or ruling out first.
        sel = Selector(analysis, bank, clean)
        confirm = sel.red_flag_screen(confirm=True)
        if confirm:
            return step(confirm, None)
        if any(_is_specific_location(bank.kb, f) for f in sel.present):
            return step(None, "emergency")
        # Risk factors alone ("on a blood thinner for AF") with no complaint yet: the
        # emergency is the prior talking, so find out where it hurts before settling on it.
        where = bank.questions.get(WHERE_QUESTION)
        if where is not None and not any(f in sel.known for f in where.findings):
            return step(Candidate(where, float("inf")), None)
        return step(None, "emergency")
    if analysis.age is None and "age" not in declined:
        return step(Candidate(bank.questions["age"], 0.0), None)
    if analysis.sex is None and "sex" not in declined:
        return step(Candidate(bank.questions["sex"], 0.0), None)
    if asked >= MAX_QUESTIONS:
        return step(None, "question_cap")
    sel = Selector(analysis, bank, clean)
    # Without knowing where it hurts, a leader is only the text's first guess, and the warning
    # signs worth screening depend on the place: ask it first.
    where = bank.questions.get(WHERE_QUESTION)
    # "The whole foot or both soles" is vague as a place but a real answer to where it hurts.
    located = any(_is_specific_location(bank.kb, f) for f in sel.present) or (
        where is not None and any(f in sel.present for f in where.findings)
    )
    screen: Candidate | None
    if not located and where is not None and not any(f in sel.known for f in where.findings):
        screen = sel.safety_screen(first_only=True) or Candidate(where, float("inf"))
    else:
        screen = sel.safety_screen() or sel.red_flag_screen()
    if screen:
        return step(screen, None)
    ranked = analysis.ranked
    top = ranked[0].probability
    margin = top - (ranked[1].probability if len(ranked) > 1 else 0.0)
    # A confident leader does not end the interview while a look-alike that needs care sooner
    # (a stress fracture behind shin splints) is still in view: the next questions tell them apart.
    lead_level = bank.kb.conditions[ranked[0].condition].triage
    graver = any(
        s.probability >= GRAVER_IN_VIEW and bank.kb.conditions[s.condition].triage > lead_level
        for s in ranked[1:]
    )
    confident = top >= CONFIDENT_TOP and margin >= CONFIDENT_MARGIN and located and not graver
    settled = asked >= SETTLED_AFTER and top >= SETTLED_TOP and margin >= SETTLED_MARGIN and located
    # The top three are what the runner is shown: when they hold nearly all the probability,
    # more questions only reorder them.
    top3_settled = sum(s.probability for s in ranked[:3]) >= TOP3_MASS and located and not graver
    confident = confident or top3_settled
    enough = confident or settled or asked >= MAX_GAIN_QUESTIONS
    best = None if enough else sel.best_by_gain()
    if enough or best is None or best.score < MIN_GAIN or asked >= MAX_GAIN_QUESTIONS - SWEEP_EARLY:
        # A final safety sweep: a less likely red flag is still worth one question before
        # we send someone home with self-care; with a top-3 stop, each of the three
        # conditions' own warning rules is finished, not only the leader's.
        sweep = (
            sel.red_flag_screen(SWEEP_SCALE)
            or sel.leader_screen(TOP3_SCREEN_MIN if top3_settled else LEADER_SCREEN_MIN)
            or sel.bone_check()
            or sel.mimic_check(asked)
        )
        if sweep:
            return step(sweep, None)
    if enough or best is None or best.score < MIN_GAIN:
        if asked >= MAX_GAIN_QUESTIONS and not (confident or settled):
            return step(None, "question_cap")
        return step(None, "confident" if confident or settled else "no_useful_question")
    return step(best, None)


def next_safety_question(
    engine: Engine, req: AssessmentRequest | InterviewRequest
) -> QuestionOut | None:
    """The next warning-sign question still open for this evidence, or None.

    For a runner who asked to skip the rest: the safety questions and the red-flag screening
    (including the final low-threshold sweep) are still asked; nothing else is, and neither are
    age or sex. None once a red flag already says emergency. Raises InterviewError as
    :func:`next_step` does."""
    bank = engine.bank
    answers = expand_answers(bank, req.answers)
    clean: dict[str, AnswerValue] = {
        k: v  # type: ignore[misc]  # expand_answers checked every value
        for k, v in answers.items()
        if k not in DEMOGRAPHIC_IDS
    }
    analysis = engine.analyse(
        AssessmentRequest.model_construct(text=req.text, age=req.age, sex=req.sex, answers=clean)
    )
    if analysis.flag_level == TriageLevel.emergency:
        return None
    sel = Selector(analysis, bank, clean)
    pick = (
        sel.safety_screen()
        or sel.red_flag_screen()
        or sel.red_flag_screen(SWEEP_SCALE)
        or (sel.red_flag_screen(confirm=True) if analysis.level == TriageLevel.emergency else None)
    )
    return pick.question.out(bank.kb, pick.why) if pick else None


def apply_answer(
    bank: QuestionBank, answers: dict[str, str], question_id: str, value: str
) -> dict[str, str]:
    """Return ``answers`` updated with one answer to ``question_id``.

    Yes/no: ``value`` is present/absent/unknown. Single choice: ``value`` is the chosen
    finding id (set present) or ``unknown`` (every option marked unknown)."""
    if question_id not in bank:
        raise InterviewError(f"unknown question id: {question_id}")
    q = bank.questions[question_id]
    out = dict(answers)
    if q.kind == "single_choice":
        if value == "unknown":
            for f in q.findings:
                out.setdefault(f, "unknown")
        elif value in q.findings:
            out[value] = "present"
        else:
            raise InterviewError(f"{value!r} is not an option of {question_id}")
    elif q.kind == "yes_no":
        if value not in ANSWER_VALUES:
            raise InterviewError(f"answer must be present, absent or unknown, not {value!r}")
        out[question_id] = value
    else:
        raise InterviewError(f"{question_id} is answered through the request's age and sex")
    return out


__all__ = ["InterviewError", "apply_answer", "next_safety_question", "next_step"]
