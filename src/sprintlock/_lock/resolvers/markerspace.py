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

A marker outside these forms (``in``, ``~=``, a wildcard, ``extra``, an ordering of another
variable...) is not :meth:`Space.readable`: the caller asks uv instead. Evaluation is
``packaging``'s; the text is only scanned for the variables and values it names.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator

from packaging.markers import Marker
from packaging.version import InvalidVersion, Version

__all__ = ["Space"]

#: One comparison as uv (and packaging) write it: ``variable op 'value'``.
_ATOM = re.compile(r"""\b([a-z_]+) (==|!=|<=|>=|<|>) (['"])([^'"]*)\3""")
#: What may join comparisons: ``and``, ``or``, parentheses.
_JOINERS = re.compile(r"\band\b|\bor\b|[()\s]")
_PYTHON = ("python_full_version", "python_version")
_ORDERED = frozenset({"<", "<=", ">", ">="})
#: A value no marker names (variables compared with ``==``/``!=`` only).
_OTHER = "\x00other"
#: Beyond this many environments the sample is not built (the caller asks uv instead).
LIMIT = 4096


def _atoms(text: str) -> list[tuple[str, str, str]]:
    return [(variable, op, value) for variable, op, _, value in _ATOM.findall(text)]


@functools.lru_cache(maxsize=4096)
def _readable(text: str) -> bool:
    """Whether ``text`` is comparisons joined by ``and``/``or`` that the sample reads exactly."""
    if _JOINERS.sub("", _ATOM.sub("", text)):
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


def _python_points(bounds: set[Version], lowest: Version) -> tuple[str, ...]:
    """The sampled Python versions: ``lowest`` and each boundary above it, and one version
    after each, before the next boundary."""
    bounds = {lowest, *bounds}
    size = max(3, *(len(bound.release) for bound in bounds)) + 1
    points: list[str] = []
    for bound in sorted(bound for bound in bounds if bound >= lowest):
        release = _release(bound, size - 1)
        points.append(".".join(map(str, release)))
        points.append(".".join(map(str, (*release, 1))))  # above ``bound``, below any later boundary
    return tuple(points)


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
        self._axes: dict[str, tuple[str, ...]] = {"python": _python_points(bounds, Version(lowest))}
        self._axes.update((variable, (*sorted(values), _OTHER)) for variable, values in sorted(named.items()))
        self.size = 1
        for values in self._axes.values():
            self.size *= len(values)
        #: Every environment where nothing is excluded.
        self.everywhere = (1 << self.size) - 1 if self.size <= LIMIT else 0
        self._where: dict[tuple[str, str], int] = {}
        if self.size <= LIMIT:
            self._index_values()

    @property
    def usable(self) -> bool:
        """Whether the sample is small enough to have been built."""
        return self.size <= LIMIT

    def _index_values(self) -> None:
        """For each axis value, the set of environments that have it."""
        names = list(self._axes)
        for bit, point in enumerate(itertools.product(*self._axes.values())):
            for axis, value in zip(names, point, strict=True):
                key = (axis, value)
                self._where[key] = self._where.get(key, 0) | (1 << bit)

    def readable(self, text: str) -> bool:
        """Whether :meth:`of` reads ``text`` exactly: the sample was built from it, and is small enough."""
        return self.usable and text in self._known

    def of(self, text: str | None) -> int:
        """The environments where ``text`` holds (every one for no marker); it must be :meth:`readable`."""
        if text is None:
            return self.everywhere
        marker = Marker(text)
        axes = list(dict.fromkeys("python" if variable in _PYTHON else variable for variable, _, _ in _atoms(text)))
        found = 0
        for values in itertools.product(*(self._axes[axis] for axis in axes)):
            if marker.evaluate(dict(self._environment(axes, values))):
                where = self.everywhere
                for axis, value in zip(axes, values, strict=True):
                    where &= self._where[(axis, value)]
                found |= where
        return found

    @staticmethod
    def _environment(axes: list[str], values: tuple[str, ...]) -> Iterator[tuple[str, str]]:
        yield "extra", ""
        for axis, value in zip(axes, values, strict=True):
            if axis == "python":
                yield "python_full_version", value
                yield "python_version", ".".join(value.split(".")[:2])
            else:
                yield axis, value
