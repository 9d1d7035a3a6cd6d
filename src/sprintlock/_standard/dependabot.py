"""``.github/dependabot.yml``: Dependabot on the GitHub Actions pins only, never on the locks.

Dependabot's pip updater rewrites ``requirements/*.txt`` for the one Python it runs, under
the old header: the universal markers are lost and ``check`` calls the lock edited. The
locks move with ``nox -s upgrade`` (the upgrade workflow: every layer, every target, one
pull request with a change report). Dependabot keeps what sprintlock does not resolve: the
actions the workflows use, weekly, each release only once it is older than the cooldown
(the project's ``upgrade-cooldown``, else 7 days), all in one grouped pull request. The
upgrade workflow refreshes the same action pins on its own schedule; whichever runs first
moves them, and the other finds them current.

Doctor's check (:func:`check_bots`) reads this file and every Renovate configuration
(``_inspect/bots.py``) and reports an entry that would edit the locks or their inputs.
A user's own ``dependabot.yml`` is kept (``init`` says what in it clashes).
"""

from __future__ import annotations

import json

from sprintlock._inspect.bots import RENOVATE_FILES, Clash, dependabot_clashes, renovate_clashes
from sprintlock._inspect.jsonc import JsoncError, JsonValue, parse_jsonc
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.yamltree import YamlError, parse_yaml
from sprintlock._standard.context import Context
from sprintlock._standard.spec import StandardFile, how_to_replace

PATH = ".github/dependabot.yml"
#: The other spelling Dependabot reads (``init`` keeps a project's file where it is).
YAML_PATH = ".github/dependabot.yaml"
#: Days a new action release waits before Dependabot proposes it, without ``upgrade-cooldown``.
DEFAULT_COOLDOWN_DAYS = 7


def cooldown_days(context: Context) -> int:
    cooldown = context.config.upgrade_cooldown
    return cooldown.days if cooldown is not None else DEFAULT_COOLDOWN_DAYS


def _render(context: Context) -> str:
    return (
        "# Dependabot keeps the GitHub Actions pins current: written by `sprintlock init`.\n"
        f"# Never the locks in {context.requirements}/: `nox -s upgrade` (the upgrade workflow) relocks\n"
        "# them for every target Python and platform, which Dependabot's pip updater cannot.\n"
        "version: 2\n"
        "updates:\n"
        "  - package-ecosystem: github-actions\n"
        '    directory: "/"\n'
        "    schedule:\n"
        "      interval: weekly\n"
        "    cooldown:\n"
        f"      default-days: {cooldown_days(context)}\n"
        "    groups:\n"
        "      actions:\n"
        "        patterns:\n"
        '          - "*"\n'
    )


def _place(context: Context) -> str:
    """An existing ``dependabot.yaml`` is the project's file (Dependabot reads one or the other)."""
    root = context.root
    return YAML_PATH if (root / YAML_PATH).is_file() and not (root / PATH).is_file() else PATH


def _kept(relative: str, theirs: str, standard: str, context: Context) -> tuple[str, ...]:
    """What ``init`` says about the user's own file: each entry that would edit the locks."""
    try:
        clashes = dependabot_clashes(parse_yaml(theirs), context.requirements)
    except YamlError:
        return ()
    notes = [f"{relative}:{clash.line}: {clash.message}; fix: {clash.fix}" for clash in clashes]
    return (*notes, how_to_replace(relative)) if notes else ()


def _add(repo: Repo, file: str, clashes: list[Clash]) -> None:
    for clash in clashes:
        repo.add("bot-edits-locks", file, clash.message, clash.fix, clash.line)


def _check_dependabot(repo: Repo) -> None:
    for relative in (PATH, YAML_PATH):
        text = repo.read(relative)
        if text is None:
            continue
        try:
            root = parse_yaml(text)
        except YamlError as exc:
            repo.add("file-invalid", relative, str(exc), "fix the YAML syntax at the line named", exc.line)
            continue
        _add(repo, relative, dependabot_clashes(root, repo.requirements))


def _renovate_paths(repo: Repo) -> list[str]:
    """The files Renovate must leave alone: every lock and ``.in`` (a sample name without layers)."""
    layers = sorted(repo.layers) or ["tests"]
    return [f"{repo.requirements}/{layer}{suffix}" for layer in layers for suffix in (".txt", ".in")]


def _renovate_configs(repo: Repo) -> list[tuple[str, str, JsonValue]]:
    """``(file, text, config)`` for each Renovate configuration doctor can read."""
    found: list[tuple[str, str, JsonValue]] = []
    for relative in RENOVATE_FILES:
        text = repo.read(relative)
        if text is None:
            continue
        try:
            found.append((relative, text, parse_jsonc(text)))
        except JsoncError as exc:
            if not relative.endswith("json5"):  # JSON5 beyond comments and trailing commas: not judged
                repo.add("file-invalid", relative, str(exc), "fix the JSON syntax at the line named", exc.line)
    package = repo.read("package.json")
    if package is not None:
        try:
            data = json.loads(package)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and "renovate" in data:
            found.append(("package.json", package, data["renovate"]))
    return found


def check_bots(repo: Repo) -> None:
    """Doctor: a Dependabot or Renovate configuration that would edit the locks (``bot-edits-locks``)."""
    _check_dependabot(repo)
    paths = _renovate_paths(repo)
    for relative, text, config in _renovate_configs(repo):
        _add(repo, relative, renovate_clashes(config, paths, text))


FILE = StandardFile(
    path=PATH,
    render=_render,
    differing="keep",
    kept=_kept,
    check=check_bots,
    place=_place,
)
