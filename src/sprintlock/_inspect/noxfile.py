"""The noxfile, read statically with ``ast``: never imported, never run.

Sessions are the functions decorated with ``@nox.session`` (or ``@session``), named by
``name=`` or the function; ``python=`` gives one session per Python (``tests-3.12``).
``python=`` may be a literal, a module-level name bound to one, or
``sprintlock.nox.pythons()``, which is the project's targets.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeGuard

from sprintlock._inspect.shell import RefKind

#: Where a session's Pythons come from: a literal (or a name bound to one), the project's
#: targets (``sprintlock.nox.pythons()``), or something computed that is not read statically.
PythonSource = Literal["literal", "targets", "dynamic"]
#: ``python=`` could not be read statically (a computed list): Python checks are skipped.
DYNAMIC: Final = "dynamic"


@dataclass(frozen=True)
class Session:
    name: str
    line: int
    #: The Pythons it runs on; () for a session that runs on no particular Python.
    pythons: tuple[str, ...]
    source: PythonSource
    #: Lock layers it installs (``sprintlock.nox.install(session, "tests")`` and helpers like it).
    layers: tuple[str, ...]
    parametrized: bool = False

    def names(self) -> set[str]:
        return {self.name} | {f"{self.name}-{python}" for python in self.pythons}


@dataclass(frozen=True)
class Mention:
    """A string in the noxfile that names something: a layer, a path or a session."""

    kind: RefKind
    value: str
    line: int


@dataclass(frozen=True)
class Noxfile:
    sessions: tuple[Session, ...]
    mentions: tuple[Mention, ...]

    def find(self, name: str) -> tuple[Session, str | None] | None:
        """The session ``name`` selects and the Python it names (``tests-3.12``), if any."""
        for session in self.sessions:
            if name == session.name:
                return session, None
            if session.parametrized and name.startswith(f"{session.name}("):
                return session, None
            prefix = f"{session.name}-"
            if name.startswith(prefix):
                python = name[len(prefix) :]
                if python in session.pythons or session.source == DYNAMIC:
                    return session, python
        return None

    def described(self) -> str:
        return ", ".join(sorted(s.name for s in self.sessions)) or "none"


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


def _strings(node: ast.expr) -> tuple[str, ...] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return tuple(values) if len(values) == len(node.elts) else None
    return None


def _pythons(
    node: ast.expr | None, names: Mapping[str, ast.expr], targets: tuple[str, ...]
) -> tuple[tuple[str, ...], PythonSource]:
    seen = 0
    while isinstance(node, ast.Name) and node.id in names and seen < 10:
        node, seen = names[node.id], seen + 1
    if node is None or (isinstance(node, ast.Constant) and node.value in (None, False, True)):
        return (), "literal"
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return (str(node.value),), "literal"
    literal = _strings(node)
    if literal is not None:
        return literal, "literal"
    if isinstance(node, ast.Call) and _dotted(node.func).split(".")[-1] == "pythons" and not node.args:
        return targets, "targets"
    return (), DYNAMIC


def _session_decorator(decorator: ast.expr) -> ast.expr | None:
    """The decorator if it is ``nox.session``/``session`` (called or not)."""
    name = _dotted(decorator)
    return decorator if name in ("nox.session", "session", "nox.registry.session_decorator") else None


def _keyword(call: ast.expr, key: str) -> ast.expr | None:
    if isinstance(call, ast.Call):
        for keyword in call.keywords:
            if keyword.arg == key:
                return keyword.value
    return None


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _mentions(function: ast.AST, layers: set[str], requirements: str) -> tuple[list[Mention], list[str]]:
    """What the calls in ``function`` name, and the layers it installs."""
    found: list[Mention] = []
    installs: list[str] = []
    for call in _calls(function):
        callee = _dotted(call.func)
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in call.args]
        if callee in ("sprintlock.nox.install", "install") or callee.endswith("nox.install"):
            layer = args[1] if len(args) > 1 else None
            if layer is not None and (callee != "install" or layer in layers):
                found.append(Mention("layer", layer, call.lineno))
                installs.append(layer)
        elif "install" in callee.split(".")[-1] and callee != "session.install":
            # A project helper such as install_lock(session, "tests"): a layer when one has that name.
            installs += [arg for arg in args if arg is not None and arg in layers]
        for index, arg in enumerate(args[:-1]):
            following = args[index + 1]
            if arg in ("-r", "--requirement", "-c", "--constraint") and following is not None:
                found.append(Mention("path", following, call.lineno))
                folder, _, name = following.rpartition("/")
                if folder == requirements and name.endswith(".txt") and name[:-4] in layers:
                    installs.append(name[:-4])
        if callee == "session.notify" and args and args[0] is not None:
            found.append(Mention("session", args[0], call.lineno))
    return found, installs


def _module_names(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = value`` (and ``NAME: T = value``): what ``python=NAME`` may refer to."""
    names: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            names.update({target.id: statement.value for target in statement.targets if isinstance(target, ast.Name)})
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
            names[statement.target.id] = statement.value
    return names


@dataclass(frozen=True)
class _Context:
    """What reading one session needs besides its function."""

    names: Mapping[str, ast.expr]
    layers: set[str]
    targets: tuple[str, ...]
    requirements: str


def _session(function: ast.FunctionDef | ast.AsyncFunctionDef, context: _Context) -> tuple[Session, list[Mention]]:
    decorator = next(d for d in function.decorator_list if _session_decorator(d) is not None)
    name_node = _keyword(decorator, "name")
    name = name_node.value if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str) else None
    python = _keyword(decorator, "python") or _keyword(decorator, "py")
    pythons, source = _pythons(python, context.names, context.targets)
    parametrized = any(_dotted(d).endswith("parametrize") for d in function.decorator_list)
    found, installs = _mentions(function, context.layers, context.requirements)
    if parametrized and _installs_a_variable(function):
        installs += _parametrized_layers(function, context)
    line = min(d.lineno for d in function.decorator_list)
    session = Session(name or function.name, line, pythons, source, tuple(dict.fromkeys(installs)), parametrized)
    return session, found


def _installs_a_variable(function: ast.AST) -> bool:
    """Whether an install call in ``function`` takes a name, not a string: ``install(session, layer)``."""
    return any(
        "install" in _dotted(call.func).split(".")[-1] and any(isinstance(arg, ast.Name) for arg in call.args[1:])
        for call in _calls(function)
    )


def _parametrized_layers(function: ast.FunctionDef | ast.AsyncFunctionDef, context: _Context) -> list[str]:
    """The layer names among a session's ``@nox.parametrize`` values (given there or as a module name)."""
    found: list[str] = []
    for decorator in function.decorator_list:
        if not (isinstance(decorator, ast.Call) and _dotted(decorator.func).endswith("parametrize")):
            continue
        values = [*decorator.args[1:], *(k.value for k in decorator.keywords if k.arg == "arg_values_list")]
        for given in values:
            value = context.names.get(given.id, given) if isinstance(given, ast.Name) else given
            found += [
                node.value
                for node in ast.walk(value)
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in context.layers
            ]
    return found


def _default_sessions(statement: ast.stmt) -> list[Mention]:
    """``nox.options.sessions = [...]``: the sessions a bare ``nox`` runs."""
    if isinstance(statement, ast.Assign) and [_dotted(t) for t in statement.targets] == ["nox.options.sessions"]:
        return [Mention("session", value, statement.lineno) for value in _strings(statement.value) or ()]
    return []


def _is_session(statement: ast.stmt) -> TypeGuard[ast.FunctionDef | ast.AsyncFunctionDef]:
    """A function decorated with ``@nox.session``."""
    return isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        _session_decorator(d) is not None for d in statement.decorator_list
    )


def read_noxfile(
    text: str, *, layers: set[str], targets: tuple[str, ...], requirements: str = "requirements"
) -> Noxfile:
    """Sessions and mentions of ``text``; raises SyntaxError."""
    tree = ast.parse(text)
    context = _Context(_module_names(tree), layers, targets, requirements)
    sessions: list[Session] = []
    mentions: list[Mention] = []
    for statement in tree.body:
        mentions += _default_sessions(statement)
        if _is_session(statement):
            session, found = _session(statement, context)
            sessions.append(session)
            mentions += found
    return Noxfile(tuple(sessions), tuple(mentions))
