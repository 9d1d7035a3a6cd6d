"""Markers as sets: a finite sample of environments that tells apart the markers of a lock.

A layer's pins are read from uv's universal lock by following its edges (each with uv's
marker) from the layer's dependency group: a package is installed where some path to it
holds. Comparing the markers that result needs their meaning, not their text. Each marker
here is the set of sampled environments where it holds (an ``int``, one bit per
environment), over a sample exact for the markers it was built from (:class:`Space`):

- ``python_full_version`` and ``python_version`` are one axis: each version the markers
  name (for ``python_version X.Y``, also ``X.Y+1``, where ``<=``/``>`` change) and the
  lowest target Python, plus one version strictly between each two and above the last.
  No marker tells apart two versions of the same interval, so the sample is exact, and
  versions below the lowest target (which uv's markers leave out) are not in it.
- Every other variable compared with ``==``/``!=``: each value the markers name, plus one
  value none of them names.

A marker outside these forms (``in``, ``~=``, a prefix other than ``== V.*``/``!= V.*``,
``extra``, an ordering of another variable...) is not :meth:`Space.readable`: the caller
asks uv instead. Evaluation is ``packaging``'s, one comparison at a time; the text is only
split into its comparisons, ``and``, ``or`` and parentheses. :meth:`Space.describe` writes
a set back as uv writes such a marker, where that takes no ``or``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator

from packaging.markers import InvalidMarker, Marker
from packaging.version import InvalidVersion, Version

__all__ = ["Space"]

#: One comparison as uv (and packaging) write it: ``variable op 'value'``.
_ATOM = re.compile(r"""\b([a-z_]+) (==|!=|<=|>=|<|>) (['"])([^'"]*)\3""")
#: What may join comparisons: ``and``, ``or``, parentheses.
_JOINERS = re.compile(r"\band\b|\bor\b|[()\s]")
#: The words of a readable marker: a comparison, ``and``, ``or``, a parenthesis.
_WORDS = re.compile(_ATOM.pattern + r"|\band\b|\bor\b|[()]")
_PYTHON = ("python_full_version", "python_version")
_ORDERED = frozenset({"<", "<=", ">", ">="})
#: A value no marker names (variables compared with ``==``/``!=`` only).
_OTHER = "\x00other"
#: Beyond this many environments the sample is not built (the caller asks uv instead).
LIMIT = 1 << 14


def _atoms(text: str) -> list[tuple[str, str, str]]:
    return [(variable, op, value) for variable, op, _, value in _ATOM.findall(text)]


@functools.lru_cache(maxsize=4096)
def _readable(text: str) -> bool:
    """Whether ``text`` is a valid marker of comparisons joined by ``and``/``or`` that the sample reads exactly."""
    if _JOINERS.sub("", _ATOM.sub("", text)):
        return False
    try:
        Marker(text)
    except InvalidMarker:
        return False
    for variable, op, value in _atoms(text):
        if variable in _PYTHON:
            if _bounds(variable, value) is None or (value.endswith(".*") and op not in ("==", "!=")):
                return False
        elif op in _ORDERED or variable == "extra":
            return False
    return True


def _bounds(variable: str, value: str) -> tuple[Version, ...] | None:
    """The versions where a comparison of ``variable`` with ``value`` may change; None if ``value`` is no version.

    ``python_full_version`` compared with ``V`` changes at ``V``; with ``V.*`` (a prefix), at
    ``V`` and where the prefix ends (``3.11.*``: ``3.11`` and ``3.12``). ``python_version``
    is the ``X.Y`` of the interpreter: a comparison with ``X.Y`` also changes at ``X.Y+1``.
    """
    prefix = value.endswith(".*")
    try:
        version = Version(value[:-2] if prefix else value)
    except InvalidVersion:
        return None
    release = version.release
    if prefix:
        end = Version(".".join(map(str, (*release[:-1], release[-1] + 1))))
        return (version, end)
    if variable == "python_version":
        major, minor = _release(version, 2)
        return (version, Version(f"{major}.{minor + 1}"))
    return (version,)


def _release(version: Version, size: int) -> tuple[int, ...]:
    return (*version.release, *(0,) * size)[:size]


def _python_points(bounds: list[Version]) -> tuple[str, ...]:
    """The sampled Python versions: each boundary (in order), and one version after each,
    before the next boundary."""
    size = max(3, *(len(bound.release) for bound in bounds)) + 1
    points: list[str] = []
    for bound in bounds:
        release = _release(bound, size - 1)
        points.append(".".join(map(str, release)))
        points.append(".".join(map(str, (*release, 1))))  # above ``bound``, below any later boundary
    return tuple(points)


def _python_text(bounds: list[Version], first: int, last: int) -> str:
    """The Pythons from sampled point ``first`` to ``last``, as uv writes them: a point ``2i``
    is ``bounds[i]`` itself, a point ``2i + 1`` the versions between it and the next bound."""
    low, high = bounds[first // 2], bounds[last // 2 + 1] if last // 2 + 1 < len(bounds) else None
    if 0 < first == last and first % 2 == 0:
        return f"python_full_version == '{low}'"
    if first > 0 and first % 2 == 0 and last % 2 == 1 and high is not None:  # (from the lowest: no lower bound)
        release = _release(low, 2)
        if len(low.release) <= 2 and high == Version(f"{release[0]}.{release[1] + 1}"):
            return f"python_full_version == '{release[0]}.{release[1]}.*'"
    parts = []
    if first > 0:
        parts.append(f"python_full_version {'>=' if first % 2 == 0 else '>'} '{low}'")
    if last % 2 == 0:
        parts.append(f"python_full_version <= '{bounds[last // 2]}'")
    elif high is not None:
        parts.append(f"python_full_version < '{high}'")
    return " and ".join(parts)


class Space:
    """The environments sampled for ``texts`` on Pythons from ``lowest`` up; each marker is a set of them."""

    def __init__(self, texts: Iterable[str], lowest: str) -> None:
        #: The markers the sample reads exactly: those it was built from, in the forms it reads.
        self._known = frozenset(text for text in texts if _readable(text))
        named: dict[str, set[str]] = {}
        for text in self._known:
            for variable, _, value in _atoms(text):
                named.setdefault(variable, set()).add(value)
        bounds = {bound for v in _PYTHON for value in named.pop(v, ()) for bound in _bounds(v, value) or ()}
        self._bounds = sorted(bound for bound in {Version(lowest), *bounds} if bound >= Version(lowest))
        self._axes: dict[str, tuple[str, ...]] = {"python": _python_points(self._bounds)}
        self._axes.update((variable, (*sorted(values), _OTHER)) for variable, values in sorted(named.items()))
        self.size = 1
        for values in self._axes.values():
            self.size *= len(values)
        #: Every environment where nothing is excluded.
        self.everywhere = (1 << self.size) - 1 if self.size <= LIMIT else 0
        self._where: dict[tuple[str, str], int] = {}
        self._compared: dict[tuple[str, str, str], int] = {}
        if self.size <= LIMIT:
            self._index_values()

    @property
    def usable(self) -> bool:
        """Whether the sample is small enough to have been built."""
        return self.size <= LIMIT

    def _index_values(self) -> None:
        """For each axis value, the set of environments that have it.

        Environments are numbered as ``itertools.product`` of the axes lists them: the value
        at index ``i`` of an axis of ``n`` values, whose later axes make ``stride``
        environments, holds in runs of ``stride`` bits from ``i * stride``, every ``n * stride``.
        """
        stride = self.size
        for axis, values in self._axes.items():
            stride //= len(values)
            period = len(values) * stride
            runs = ((1 << self.size) - 1) // ((1 << period) - 1)  # one bit every ``period``
            for index, value in enumerate(values):
                self._where[(axis, value)] = runs * (((1 << stride) - 1) << (index * stride))

    def readable(self, text: str) -> bool:
        """Whether :meth:`of` reads ``text`` exactly: the sample was built from it, and is small enough."""
        return self.usable and text in self._known

    def of(self, text: str | None) -> int:
        """The environments where ``text`` holds (every one for no marker); it must be :meth:`readable`.

        Each comparison is evaluated by ``packaging`` once per value of its variable; the
        sets are then joined as the (valid) marker joins them: ``and`` before ``or``.
        """
        if text is None:
            return self.everywhere
        words = [match.group(0) if match.group(1) is None else match.group(1, 2, 4) for match in _WORDS.finditer(text)]
        found, _ = self._join(words, 0)
        return found

    def _join(self, words: list[str | tuple[str, ...]], start: int) -> tuple[int, int]:
        """The set ``words[start:]`` means up to its first unmatched ``)`` (or its end), and where that is."""
        found, term = 0, self.everywhere
        index = start
        while index < len(words) and words[index] != ")":
            word = words[index]
            if word == "or":
                found, term = found | term, self.everywhere
            elif word == "(":
                inner, index = self._join(words, index + 1)
                term &= inner
            elif isinstance(word, tuple):
                term &= self._comparison(*word)
            index += 1  # past ``and``, ``or``, a comparison, or the ``)`` that closes a group
        return found | term, index

    def _comparison(self, variable: str, op: str, value: str) -> int:
        """The environments where one comparison holds."""
        key = (variable, op, value)
        if key not in self._compared:
            marker = Marker(f"{variable} {op} '{value}'")  # a value holds no quote (_ATOM)
            axis = "python" if variable in _PYTHON else variable
            found = 0
            for point in self._axes[axis]:
                if marker.evaluate(dict(self._environment(axis, point))):
                    found |= self._where[(axis, point)]
            self._compared[key] = found
        return self._compared[key]

    @staticmethod
    def _environment(axis: str, value: str) -> Iterator[tuple[str, str]]:
        yield "extra", ""
        if axis == "python":
            yield "python_full_version", value
            yield "python_version", ".".join(value.split(".")[:2])
        else:
            yield axis, value

    def describe(self, where: int) -> str | None:
        """``where`` written as uv writes such a marker, when it is some Pythons (one range)
        with, for each other variable, one value (``==``) or all but some (``!=``): e.g.
        ``python_full_version >= '3.10' and python_full_version < '3.10.2'``, or
        ``python_full_version < '3.11' and implementation_name != 'PyPy'``. None otherwise.
        """
        pythons = len(self._axes["python"])
        rest = self.size // pythons  # the environments of one Python (python is the first axis)
        block = (1 << rest) - 1
        # Which of one Python's environments hold, for each Python: one same set for a range of them.
        held = {cell: where >> (cell * rest) & block for cell in range(pythons)}
        cells = [cell for cell, found in held.items() if found]
        if not cells or cells != list(range(cells[0], cells[-1] + 1)) or len({held[cell] for cell in cells}) != 1:
            return None
        combinations = held[cells[0]]
        parts = [] if len(cells) == pythons else [_python_text(self._bounds, cells[0], cells[-1])]
        others = [axis for axis in self._axes if axis != "python"]
        # The values of each other variable among those environments: all their combinations, or no answer.
        allowed = [
            {value for value in self._axes[axis] if combinations & self._where[(axis, value)]} for axis in others
        ]
        if math.prod(map(len, allowed)) != combinations.bit_count():
            return None
        for axis, kept in zip(others, allowed, strict=True):
            compared = self._compare(axis, kept)
            if compared is None:
                return None
            parts += compared
        text = " and ".join(parts)
        return text if text and self.of(text) == where else None

    def _compare(self, axis: str, kept: set[str]) -> list[str] | None:
        """``axis`` limited to the values ``kept``, as comparisons joined by ``and``; None if that takes an ``or``."""
        values = self._axes[axis]
        if len(kept) == len(values):
            return []
        if len(kept) == 1 and _OTHER not in kept:
            return [f"{axis} == '{next(iter(kept))}'"]
        if _OTHER in kept:
            return [f"{axis} != '{value}'" for value in values if value not in kept]
        return None
