"""An attacker for the small-group rule, written apart from learning.services.privacy.

It is handed exactly what a reader sees (a count, «<5» or «skjult» per figure) and the
equalities that hold between the figures (a row is the sum of its cells, the persons who
reach a step are the persons who chose a way into it, ...), and works out every hidden
figure it can:

- exact linear algebra over the rationals (Gauss-Jordan with ``Fraction``): a hidden
  figure is pinned when the system of equalities determines it;
- bounds: counts are whole numbers of at least 0, «<5» on a cell whose base is shown
  means 1 to 4 (0 to 4 otherwise), and every equation narrows the range of each figure
  in it from the ranges of the others (run to a fixed point, on the equations as given
  and on the reduced rows). This finds "the hidden cells add up to 0", "a shown total
  equals the sum of the shown cells" and "two «<5» cells add up to 8".

Nothing here imports the code under attack; the tests wire the displayed figures in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

SMALL = "<5"
HIDDEN = "skjult"


class Inconsistent(AssertionError):
    """The equalities contradict the figures: the attacker's model of the display is wrong."""


@dataclass
class Attack:
    known: dict[str, int] = field(default_factory=dict)          # figures as shown
    bounds: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # hidden figures' ranges
    labels: dict[str, str] = field(default_factory=dict)         # hidden figure -> «<5» / «skjult»
    equations: list[tuple[dict[str, int], int]] = field(default_factory=list)  # sum(coef * var) == const

    # --- what the reader sees -----------------------------------------------
    def figure(self, name: str, shown: int | None, label: str | None = None, *, base_shown: bool = False) -> None:
        """A figure on screen: its value if shown, else the label in its place."""
        if name in self.known or name in self.labels:
            self._merge(name, shown, label, base_shown)
            return
        if shown is not None:
            self.known[name] = shown
            return
        self.labels[name] = label or HIDDEN
        self.bounds[name] = self._range(label, base_shown)

    def _merge(self, name: str, shown: int | None, label: str | None, base_shown: bool) -> None:
        """The same figure shown twice (a base under every cell of a step): take what tells most."""
        if shown is not None:
            if name in self.known and self.known[name] != shown:
                raise Inconsistent(f"{name} shown as {self.known[name]} and {shown}")
            self.known[name] = shown
            self.labels.pop(name, None)
            self.bounds.pop(name, None)
        elif name not in self.known:
            lo, hi = self.bounds[name]
            lo2, hi2 = self._range(label, base_shown)
            self.bounds[name] = (max(lo, lo2), hi2 if hi is None else hi if hi2 is None else min(hi, hi2))

    @staticmethod
    def _range(label: str | None, base_shown: bool) -> tuple[int, int | None]:
        if label == SMALL:
            return (1, 4) if base_shown else (0, 4)
        return (0, None)

    def equal(self, terms: dict[str, int], const: int = 0) -> None:
        """sum(coef * figure) == const, a relation every reader knows from how the figures are made."""
        merged: dict[str, int] = {}
        for name, coef in terms.items():
            merged[name] = merged.get(name, 0) + coef
        self.equations.append(({k: v for k, v in merged.items() if v}, const))

    def variable(self, name: str) -> None:
        """A figure that is never on screen but takes part in the equalities."""
        if name not in self.known and name not in self.labels:
            self.labels[name] = ""
            self.bounds[name] = (0, None)

    # --- the attack -----------------------------------------------------------
    def pinned(self, truth: dict[str, int] | None = None) -> dict[str, Fraction]:
        """Every hidden figure whose value follows, with that value.

        With ``truth`` (the real counts), first check the attacker's own model: every
        equation holds, every shown figure and range fits. A wrong model proves nothing.
        """
        if truth is not None:
            self._check(truth)
        unknown = sorted(self.labels)
        index = {name: i for i, name in enumerate(unknown)}
        rows: list[tuple[list[Fraction], Fraction]] = []
        for terms, const in self.equations:
            coefs = [Fraction(0)] * len(unknown)
            rhs = Fraction(const)
            for name, coef in terms.items():
                if name in index:
                    coefs[index[name]] += coef
                elif name in self.known:
                    rhs -= coef * self.known[name]
                else:
                    raise KeyError(name)
            if any(coefs):
                rows.append((coefs, rhs))
            elif rhs != 0:
                raise Inconsistent(f"0 == {rhs} from {terms}")
        reduced = _rref(rows, len(unknown))
        result: dict[str, Fraction] = {}
        for coefs, rhs in reduced:
            nonzero = [j for j, c in enumerate(coefs) if c]
            if len(nonzero) == 1:
                result[unknown[nonzero[0]]] = rhs / coefs[nonzero[0]]
        lo = [Fraction(self.bounds[n][0]) for n in unknown]
        hi = [None if self.bounds[n][1] is None else Fraction(self.bounds[n][1]) for n in unknown]
        for j, name in enumerate(unknown):
            if name in result:
                lo[j] = hi[j] = result[name]
        _propagate(rows + reduced, lo, hi)
        for j, name in enumerate(unknown):
            if hi[j] is not None and lo[j] == hi[j]:
                result.setdefault(name, lo[j])
        if truth is not None:
            for name, value in result.items():
                assert value == truth[name], f"attacker model wrong: {name} pinned to {value}, truly {truth[name]}"
        return {name: value for name, value in result.items() if self.labels[name]}

    def _check(self, truth: dict[str, int]) -> None:
        for name, value in self.known.items():
            assert truth[name] == value, f"{name} shown as {value}, truly {truth[name]}"
        for name, (lo, hi) in self.bounds.items():
            assert lo <= truth[name] and (hi is None or truth[name] <= hi), f"{name}={truth[name]} outside {lo}..{hi}"
        for terms, const in self.equations:
            assert sum(c * truth[n] for n, c in terms.items()) == const, f"false equation {terms} == {const}"


def _rref(rows: list[tuple[list[Fraction], Fraction]], width: int) -> list[tuple[list[Fraction], Fraction]]:
    """Gauss-Jordan elimination over the rationals; raises if the rows contradict each other."""
    matrix = [(list(c), r) for c, r in rows]
    pivot_row = 0
    for col in range(width):
        found = next((i for i in range(pivot_row, len(matrix)) if matrix[i][0][col]), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        coefs, rhs = matrix[pivot_row]
        factor = coefs[col]
        coefs = [c / factor for c in coefs]
        rhs = rhs / factor
        matrix[pivot_row] = (coefs, rhs)
        for i in range(len(matrix)):
            if i != pivot_row and matrix[i][0][col]:
                other, other_rhs = matrix[i]
                k = other[col]
                matrix[i] = ([a - k * b for a, b in zip(other, coefs, strict=True)], other_rhs - k * rhs)
        pivot_row += 1
    for _, rhs in matrix[pivot_row:]:
        if rhs != 0:
            raise Inconsistent("the equalities contradict each other")
    return matrix[:pivot_row]


def _propagate(rows: list[tuple[list[Fraction], Fraction]], lo: list[Fraction], hi: list[Fraction | None]) -> None:
    """Narrow every figure's whole-number range from each equation, until nothing changes."""
    for _ in range(200):
        changed = False
        for coefs, rhs in rows:
            terms = [(j, c) for j, c in enumerate(coefs) if c]
            for j, cj in terms:
                low: Fraction | None = rhs
                high: Fraction | None = rhs
                for i, ci in terms:
                    if i == j:
                        continue
                    # rhs - ci * x_i over x_i in [lo_i, hi_i]
                    if ci > 0:
                        low = None if low is None or hi[i] is None else low - ci * hi[i]
                        high = None if high is None else high - ci * lo[i]
                    else:
                        low = None if low is None else low - ci * lo[i]
                        high = None if high is None or hi[i] is None else high - ci * hi[i]
                if cj < 0:
                    low, high = high, low
                new_lo = None if low is None else Fraction(math.ceil(low / cj))
                new_hi = None if high is None else Fraction(math.floor(high / cj))
                if new_lo is not None and new_lo > lo[j]:
                    lo[j] = new_lo
                    changed = True
                if new_hi is not None and (hi[j] is None or new_hi < hi[j]):
                    hi[j] = new_hi
                    changed = True
                if hi[j] is not None and lo[j] > hi[j]:
                    raise Inconsistent("the ranges contradict the equalities")
        if not changed:
            return
