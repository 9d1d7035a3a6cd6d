"""The standard ``noxfile.py`` that ``sprintlock init`` writes: short, with the logic in sprintlock.nox.

Doctor reads it with ``ast`` (:mod:`sprintlock._inspect.noxfile`, never imported) and checks
what it names with :func:`sprintlock._inspect.references.check_noxfile`.
"""

from __future__ import annotations

import re
from importlib import metadata

from sprintlock._inspect.noxfile import read_noxfile
from sprintlock._inspect.references import check_noxfile
from sprintlock._standard.context import Context, Detected
from sprintlock._standard.requirements import infiles
from sprintlock._standard.spec import StandardFile, how_to_replace
from sprintlock._standard.toxcommands import session_runs, uses_tmp
from sprintlock._version import __version__

PATH = "noxfile.py"

#: Used only when nox is not installed beside sprintlock: the nox release this sprintlock was tested with.
KNOWN_NOX = "2026.10.20"
#: The oldest nox with PEP 723 script mode and ``reuse_venv = "yes"``.
NEEDS_NOX = ">=2025.2.9"

#: The longest line of the generated noxfile: PEP 8's 79, the shortest length projects
#: configure, so that ruff format and black leave the file as it is at any longer length.
LINE_LENGTH = 79


def nox_version() -> str:
    """The running nox version (what the header pins), or :data:`KNOWN_NOX`."""
    try:
        return metadata.version("nox")
    except metadata.PackageNotFoundError:
        return KNOWN_NOX


def default_sessions(detected: Detected) -> list[str]:
    """What a bare ``nox`` runs: check, lint (with a pre-commit config), tests, typing, docs."""
    sessions = ["check"]
    if detected.pre_commit_config:
        sessions.append("lint")
    sessions.append("tests")
    if detected.checkers:
        sessions.append("typing")
    if detected.docs:
        sessions.append("docs")
    return sessions


def _pylist(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _call(function: str, args: list[str], indent: str = "    ") -> str:
    """``function(args)`` as ruff format and black write it at any line length from 79 up:
    one line when it fits in 79, else one argument per line with a trailing comma (which
    keeps it expanded however long the lines may be)."""
    one_line = f"{indent}{function}({', '.join(args)})\n"
    if len(one_line) <= LINE_LENGTH + 1:
        return one_line
    return f"{indent}{function}(\n" + "".join(f"{indent}    {arg},\n" for arg in args) + f"{indent})\n"


def _assign(name: str, prefix: str, items: list[str]) -> str:
    """``name = prefix [items]``, formatted as :func:`_call` formats a call."""
    one_line = f"    {name} = {prefix} [{', '.join(items)}]\n"
    if len(one_line) <= LINE_LENGTH + 1:
        return one_line
    return f"    {name} = {prefix} [\n" + "".join(f"        {item},\n" for item in items) + "    ]\n"


def _quoted(*words: str) -> list[str]:
    return [f'"{word}"' for word in words]


def _fits(*docs: str) -> str:
    """The first docstring that fits in a line (the last one otherwise)."""
    return next((doc for doc in docs if len(f'    """{doc}"""') <= LINE_LENGTH), docs[-1])


def _session(decorator: str, name: str, doc: str, body: str) -> str:
    return f'\n\n{decorator}\ndef {name}(session: nox.Session) -> None:\n    """{doc}"""\n{body}'


def _install(layer: str) -> str:
    return _call("sprintlock.nox.install", ["session", f'"{layer}"'])


def _decorator(*args: str) -> str:
    """``@nox.session(args)``, formatted as :func:`_call` formats a call."""
    return _call("@nox.session", list(args), indent="").rstrip("\n") if args else "@nox.session"


def _runs(detected: Detected, layer: str) -> tuple[str, str] | None:
    """The session lines that run what tox's environment for ``layer`` ran, and that environment's
    name; None when tox.ini has none for it (or its commands do not translate exactly)."""
    found = next(((env, commands) for name, env, commands in detected.tox_commands if name == layer), None)
    runs = session_runs(found[1]) if found is not None else None
    if found is None or runs is None:
        return None
    text = "    tmp = session.create_tmp()\n" if uses_tmp(runs) else ""
    return text + "".join(_call("session.run", run) for run in runs), found[0]


def _typing(detected: Detected) -> str:
    if (kept := _runs(detected, "typing")) is not None:
        doc = f"Type-check as tox's {kept[1]} environment did."
        return _session("@nox.session", "typing", doc, _install("typing") + kept[0])
    body = _install("typing")
    for checker in detected.checkers:
        if checker == "mypy" and not detected.checker_targets_configured and detected.check_paths:
            body += _assign("paths", "session.posargs or", _quoted(*detected.check_paths))
            body += _call("session.run", ['"mypy"', "*paths"])
        else:
            body += _call("session.run", [f'"{checker}"', "*session.posargs"])
    return _session("@nox.session", "typing", f"Type-check with {' and '.join(detected.checkers)}.", body)


#: The sessions every standard noxfile has that install no layer of their own name.
OTHER_SESSIONS = ("lint", "check", "lock", "upgrade", "upgrade-pr")


def extra_layers(layers: set[str], *, typing: bool, docs: bool) -> tuple[str, ...]:
    """Of ``layers``, those no standard session installs (tests and dev always, typing with a
    type checker, docs with Sphinx or MkDocs): each gets a session of its own."""
    installed = {"tests", "dev"} | ({"typing"} if typing else set()) | ({"docs"} if docs else set())
    return tuple(sorted(layers - installed - set(OTHER_SESSIONS)))


def _layer_session(layer: str, detected: Detected) -> str:
    """A session for a layer no standard session installs, so that every lock is used.

    ``build``: builds the sdist and wheel; ``tests-*`` (``tests-min``): the tests on every
    target Python in that lock's environment; any other: the command after ``--`` in it.
    """
    function = re.sub(r"\W", "_", layer)
    named = f'name="{layer}"' if function != layer else ""
    if layer == "build":
        body = '    sprintlock.nox.install(session, "build", project=False)\n'
        body += _call("session.run", [*_quoted("python", "-m", "build"), "*session.posargs"])
        doc = "Build the sdist and wheel into dist/ from the build lock."
        return _session("@nox.session", "build", doc, body)
    kept = _runs(detected, layer)
    if layer.startswith("tests"):
        decorator = _decorator(*filter(None, [named, "python=PYTHONS"]))
        if kept is not None:
            doc = _fits(f"Run the tests as tox's {kept[1]} environment did.", "Run the tests as tox did.")
            return _session(decorator, function, doc, _install(layer) + kept[0])
        body = _install(layer) + _call("session.run", ['"pytest"', "*session.posargs"])
        doc = _fits(f"Run the tests with pytest in the {layer} lock.", "Run the tests with pytest in this lock.")
        return _session(decorator, function, doc, body)
    decorator = _decorator(*filter(None, [named]))
    if kept is not None:
        doc = _fits(f"Run what tox's {kept[1]} environment ran.", "Run what its tox environment ran.")
        return _session(decorator, function, doc, _install(layer) + kept[0])
    body = _install(layer) + "    if session.posargs:\n        session.run(*session.posargs)\n"
    doc = _fits(f"The {layer} lock; runs the command after -- in it.", "This lock; runs the command after -- in it.")
    return _session(decorator, function, doc, body)


def _docs(detected: Detected) -> str:
    if (kept := _runs(detected, "docs")) is not None:
        doc = f"Build the documentation as tox's {kept[1]} environment did."
        return _session("@nox.session", "docs", doc, _install("docs") + kept[0])
    if detected.docs == "sphinx":
        source = detected.docs_dir or "docs"
        run = _call(
            "session.run", [*_quoted("sphinx-build", "-W", source, f"{source}/_build/html"), "*session.posargs"]
        )
        doc = "Build the HTML documentation with Sphinx, warnings as errors."
    else:
        run = _call("session.run", [*_quoted("mkdocs", "build", "--strict"), "*session.posargs"])
        doc = "Build the documentation with MkDocs, warnings as errors."
    return _session("@nox.session", "docs", doc, _install("docs") + run)


HEADER = """\
# /// script
# dependencies = ["nox=={nox}", "sprintlock=={sprintlock}"]
# ///
\"\"\"Development sessions: `nox --list` shows them, `nox` runs the default ones.

Each environment is the lock of its layer (requirements/LAYER.txt) plus the
project, installed exactly and hash-checked by sprintlock.nox. Written by
`sprintlock init`.
\"\"\"

from __future__ import annotations

import sys

import nox
import sprintlock.nox

nox.needs_version = "{needs}"
nox.options.default_venv_backend = "uv|virtualenv"
# Reusing environments is safe: sprintlock re-syncs a drifted one.
nox.options.reuse_venv = "yes"
nox.options.sessions = {sessions}

# The locks' target Pythons: a missing one is skipped (an error on CI).
PYTHONS = sprintlock.nox.pythons()
# check, lock, upgrade and dev run this file's sprintlock (pinned above).
SPRINTLOCK = (sys.executable, "-m", "sprintlock")
"""

# The same command as .devcontainer/bootstrap.sh runs.
DEV = '    session.run(*SPRINTLOCK, "dev")\n'

UPGRADE = """\
    # pre-commit (in the {layer} lock) refreshes the hook pins.
    sprintlock.nox.install(session, "{layer}", project=False)
    pins = [] if session.posargs else ["--pins"]
    report = ["--report", "upgrade-report.md", "--json", "upgrade-report.json"]
    session.run(*SPRINTLOCK, "upgrade", *pins, *session.posargs, *report)
"""


def has_build_layer(context: Context) -> bool:
    """Whether the project builds a distribution: ``init`` writes the build layer, or it has one."""
    return "build" in infiles(context.detected) or (context.root / context.requirements / "build.in").is_file()


def _tests_session(detected: Detected) -> str:
    if (kept := _runs(detected, "tests")) is not None:
        doc = f"Run the tests as tox's {kept[1]} environment did."
        return _session("@nox.session(python=PYTHONS)", "tests", doc, _install("tests") + kept[0])
    return _session(
        "@nox.session(python=PYTHONS)",
        "tests",
        "Run the tests with pytest (arguments after -- go to pytest).",
        _install("tests") + _call("session.run", ['"pytest"', "*session.posargs"]),
    )


def render_noxfile(detected: Detected) -> str:
    """The text of the standard noxfile for ``detected`` (ruff clean, ruff-format stable).

    Every layer gets a session: the standard ones, and one per extra layer
    (``detected.extra_layers``: ``build``, ``tests-min``, ...).
    """

    text = HEADER.format(
        nox=nox_version(),
        sprintlock=__version__,
        needs=NEEDS_NOX,
        sessions=_pylist(default_sessions(detected)),
    )
    text += _tests_session(detected)
    if detected.checkers:
        text += _typing(detected)
    if detected.docs:
        text += _docs(detected)
    for layer in detected.extra_layers:
        text += _layer_session(layer, detected)
    lint = _call(
        "session.run", [*_quoted("pre-commit", "run", "--all-files", "--show-diff-on-failure"), "*session.posargs"]
    )
    lint_body = _install(detected.hooks_layer) + lint
    text += _session("@nox.session", "lint", "Run the pre-commit hooks on every file.", lint_body)
    text += _session(
        "@nox.session(python=False)",
        "check",
        "Offline: are the locks fresh, consistent, hashed, covering?",
        '    session.run(*SPRINTLOCK, "check")\n',
    )
    text += _session(
        "@nox.session(python=False)",
        "lock",
        "Recompile the stale locks (`-- --all`: every lock).",
        '    session.run(*SPRINTLOCK, "lock", *session.posargs)\n',
    )
    text += _session(
        "@nox.session",
        "upgrade",
        "Upgrade every pin, hook and action (or only the packages after --).",
        UPGRADE.format(layer=detected.hooks_layer),
    )
    text += _session(
        '@nox.session(name="upgrade-pr", python=False)',
        "upgrade_pr",
        "Open or update the one upgrade pull request (CI; body: the report).",
        '    session.run(*SPRINTLOCK, "upgrade-pr", *session.posargs)\n',
    )
    text += _session(
        "@nox.session(python=False)",
        "dev",
        "Make .venv the dev lock plus the project; install the git hooks.",
        DEV,
    )
    return text


def _render(context: Context) -> str:
    return render_noxfile(context.detected)


def _kept(relative: str, theirs: str, standard: str, context: Context) -> tuple[str, ...]:
    """What the user's noxfile lacks of the standard one (its sessions), and how to get it."""
    try:
        yours = read_noxfile(theirs, layers=set(), targets=context.pythons)
    except SyntaxError:
        return (f"yours is not valid Python: doctor reports it; `--force {relative}` writes sprintlock's",)
    wanted = read_noxfile(standard, layers=set(), targets=context.pythons)
    lacking = [session.name for session in wanted.sessions if yours.find(session.name) is None]
    notes = [f"the standard sessions yours lacks: {', '.join(lacking)}"] if lacking else []
    return (*notes, how_to_replace(relative))


FILE = StandardFile(
    path=PATH,
    purpose="the sessions every contributor and CI run",
    render=_render,
    differing="keep",
    kept=_kept,
    check=check_noxfile,
)
