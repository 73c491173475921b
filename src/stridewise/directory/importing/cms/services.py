"""Medicare Physician and Other Practitioners, by provider and service (about 9.8 million rows,
3.3 GB a year): aggregated while streaming into, per NPI, the services and beneficiaries of
each configured procedure group (:mod:`stridewise.directory.cms.procedures`).

Each batch is filtered with ``pyarrow.compute.is_in`` on the code column before any Python
object exists; only the few kept rows are summed. CMS suppresses rows under 11 beneficiaries,
so a group may be absent for a clinician who does perform it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stridewise.directory.cms.procedures import ProcedureGroups
from stridewise.directory.importing.cms.folder import chunks, valid_npi
from stridewise.directory.importing.cms.stream import Stream

COLUMNS = {
    "npi": ("Rndrng_NPI", "National Provider Identifier"),
    "code": ("HCPCS_Cd", "HCPCS Code"),
    "benes": ("Tot_Benes", "Number of Medicare Beneficiaries"),
    "services": ("Tot_Srvcs", "Number of Services"),
}


class ServicesFolder:
    columns = COLUMNS

    def __init__(self, groups: ProcedureGroups) -> None:
        self.group_of = groups.by_code
        self.codes = pa.array(sorted(self.group_of), pa.string())
        self.sums: dict[tuple[str, str], list[float]] = {}
        self.valid: dict[str, bool] = {}
        self.matched = 0

    def add(self, batch: Mapping[str, pa.Array], stats: Stream) -> None:
        code = pc.utf8_upper(pc.utf8_trim_whitespace(batch["code"]))
        mask = pc.is_in(code, value_set=self.codes)
        n = pc.sum(mask).as_py() or 0
        if not n:
            return
        npis = pc.utf8_trim_whitespace(pc.filter(batch["npi"], mask))
        codes = pc.filter(code, mask)
        try:  # the common case: every count is a number, summed in Arrow per (NPI, code)
            services = pc.cast(pc.utf8_trim_whitespace(pc.filter(batch["services"], mask)),
                               pa.float64())  # fmt: skip
            benes_text = pc.utf8_trim_whitespace(pc.filter(batch["benes"], mask))
            benes = pc.cast(pc.if_else(pc.equal(benes_text, ""), "0", benes_text), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            self._add_slowly(npis, codes, batch, mask, stats)
            return
        table = pa.table({"npi": npis, "code": codes, "s": services, "b": benes})
        summed = table.group_by(["npi", "code"]).aggregate([("s", "sum"), ("b", "sum")])
        cols = summed.to_pydict()
        for npi, c, sv, bv in zip(cols["npi"], cols["code"], cols["s_sum"], cols["b_sum"],
                                  strict=True):  # fmt: skip
            self._fold(npi, c, float(sv), float(bv), stats)

    def _fold(self, npi: str, code: str, sv: float, bv: float, stats: Stream) -> None:
        ok = self.valid.get(npi)
        if ok is None:
            ok = self.valid[npi] = valid_npi(npi)
        if not ok:
            stats.skipped["invalid NPI"] += 1
            return
        if sv < 0 or bv < 0:
            stats.skipped["count not a number"] += 1
            return
        self.matched += 1
        acc = self.sums.setdefault((npi, self.group_of[code]), [0.0, 0.0])
        acc[0] += sv
        acc[1] += bv

    def _add_slowly(
        self,
        npis: pa.Array,
        codes: pa.Array,
        batch: Mapping[str, pa.Array],
        mask: pa.Array,
        stats: Stream,
    ) -> None:
        """A batch with a count that is not a number: row by row, skipping those rows."""
        benes = pc.filter(batch["benes"], mask).to_pylist()
        services = pc.filter(batch["services"], mask).to_pylist()
        for npi, c, b, s in zip(npis.to_pylist(), codes.to_pylist(), benes, services,
                                strict=True):  # fmt: skip
            try:
                sv, bv = float(s), float(b or 0)
            except ValueError:
                stats.skipped["count not a number"] += 1
                continue
            self._fold(npi, c, sv, bv, stats)

    def kept(self) -> int:
        return len(self.sums)

    def tables(self, generation: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        rows = [
            {
                "generation": generation,
                "npi": npi,
                "group_id": group,
                "services": round(s, 1),
                # Beneficiaries summed over codes can count a person twice: an upper bound.
                "beneficiaries": int(b),
            }
            for (npi, group), (s, b) in self.sums.items()
        ]
        for part in chunks(rows):
            yield "cms_procedures", part
