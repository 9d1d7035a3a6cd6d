"""``.github/workflows/tests.yml`` and ``upgrade.yml`` for ``sprintlock init``; refreshing action pins.

Both workflows only call nox, so everything they do runs (and is tested) locally too:

- tests: a first job lists the default sessions (``nox --list --json``) and the second
  runs each of them as one matrix job (``fromJSON``): the matrix is the noxfile's,
  never a hand-kept copy.
- upgrade: on a schedule (``upgrade-schedule`` in ``[tool.sprintlock]``, monthly by
  default) and on demand: ``nox -s upgrade``, ``nox -s check``, the tests on the new
  locks, then ``nox -s upgrade-pr``, which opens or updates one pull request on
  one fixed branch (see :mod:`sprintlock._upgrade_pr`).

Every workflow has ``permissions: {}`` at the top, write permissions only on the job
that needs them, actions pinned by commit SHA with a ``# vX.Y.Z`` comment,
``persist-credentials: false``, timeouts and concurrency.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from sprintlock._core.errors import CommandFailed
from sprintlock._core.process import Runner, run
from sprintlock._project.schedule import cron
from sprintlock._standard.noxfile import nox_version
from sprintlock._standard.pins import CHECKOUT, SETUP_PYTHON, Pinned

FOLDER = ".github/workflows"
TESTS = f"{FOLDER}/tests.yml"
UPGRADE = f"{FOLDER}/upgrade.yml"
BRANCH = "sprintlock/upgrade"


def _uses(pinned: Pinned) -> str:
    return f"{pinned.repo}@{pinned.sha} # {pinned.tag}"


def _nox() -> str:
    # pipx is on GitHub's runners; the noxfile's PEP 723 header pins sprintlock and nox itself.
    return f"pipx run nox=={nox_version()}"


def _checkout(indent: str = "      ") -> str:
    return f"{indent}- uses: {_uses(CHECKOUT)}\n{indent}  with:\n{indent}    persist-credentials: false\n"


HEADER = """\
# Written by `sprintlock init`. Steps only call nox: run the same sessions locally.
name: {name}

on:
{triggers}
permissions: {{}}

concurrency:
  group: {concurrency}
  cancel-in-progress: {cancel}

env:
  FORCE_COLOR: "1"
  PIP_DISABLE_PIP_VERSION_CHECK: "1"

jobs:
"""


def render_tests_workflow(default_python: str) -> str:
    """The test matrix workflow; ``default_python`` runs nox and the sessions without a Python."""
    triggers = "  push:\n    branches: [main]\n  pull_request:\n  workflow_dispatch:\n"
    text = HEADER.format(
        name="tests",
        triggers=triggers,
        concurrency="${{ github.workflow }}-${{ github.ref }}",
        cancel="true",
    )
    text += (
        "  sessions:\n"
        "    name: list the nox sessions\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 10\n"
        "    outputs:\n"
        "      sessions: ${{ steps.list.outputs.sessions }}\n"
        "    steps:\n" + _checkout() + f"      - uses: {_uses(SETUP_PYTHON)}\n"
        "        with:\n"
        f'          python-version: "{default_python}"\n'
        "      # The default sessions of noxfile.py, as JSON: the matrix of the next job.\n"
        "      - id: list\n"
        f'        run: echo "sessions=$({_nox()} --list --json)" >> "$GITHUB_OUTPUT"\n'
        "\n"
        "  nox:\n"
        "    name: ${{ matrix.session }}\n"
        "    needs: sessions\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 30\n"
        "    strategy:\n"
        "      fail-fast: false\n"
        "      matrix:\n"
        "        include: ${{ fromJSON(needs.sessions.outputs.sessions) }}\n"
        "    steps:\n" + _checkout() + f"      - uses: {_uses(SETUP_PYTHON)}\n"
        "        with:\n"
        f"          python-version: ${{{{ matrix.python || '{default_python}' }}}}\n"
        "          allow-prereleases: true\n"
        "      # nox reads the session to run from NOXSESSION; CI=true makes a missing Python an error.\n"
        f"      - run: {_nox()}\n"
        "        env:\n"
        "          NOXSESSION: ${{ matrix.session }}\n"
    )
    return text


def render_upgrade_workflow(pythons: Iterable[str], schedule: str) -> str:
    """The scheduled upgrade pull request workflow."""
    versions = "".join(f"            {version}\n" for version in pythons)
    triggers = f'  schedule:\n    - cron: "{cron(schedule)}"\n  workflow_dispatch:\n'
    text = HEADER.format(name="upgrade", triggers=triggers, concurrency="sprintlock-upgrade", cancel="false")
    text += (
        "  upgrade:\n"
        "    name: upgrade the locks and open the pull request\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 60\n"
        "    # The only job that writes: it pushes the upgrade branch and opens the pull request.\n"
        "    permissions:\n"
        "      contents: write  # push the sprintlock/upgrade branch\n"
        "      pull-requests: write  # open or update the pull request\n"
        "    # Holds the SPRINTLOCK_UPGRADE_TOKEN secret, if you add one (see the last step).\n"
        "    environment: sprintlock-upgrade\n"
        "    steps:\n" + _checkout() + f"      - uses: {_uses(SETUP_PYTHON)}\n"
        "        with:\n"
        "          allow-prereleases: true\n"
        "          python-version: |\n"
        + versions
        + "      # New locks, refreshed hook and action pins, and the change report.\n"
        f"      - run: {_nox()} -s upgrade\n"
        "      # The new locks are fresh and consistent, and the tests pass on them (every target Python).\n"
        f"      - run: {_nox()} -s check\n"
        f"      - run: {_nox()} -s tests\n"
        f"      # One pull request on {BRANCH}, updated in place; its body is the change report.\n"
        "      # Token: the default GITHUB_TOKEN works, but GitHub does not start workflows (CI) on a\n"
        "      # pull request it opens. To have the tests run on it, add the secret\n"
        "      # SPRINTLOCK_UPGRADE_TOKEN to the sprintlock-upgrade environment: a GitHub App\n"
        "      # installation token or a fine-grained personal access token with contents and\n"
        "      # pull-requests write access. It is used when present, GITHUB_TOKEN otherwise.\n"
        f"      - run: {_nox()} -s upgrade-pr\n"
        "        env:\n"
        "          GH_TOKEN: ${{ secrets.SPRINTLOCK_UPGRADE_TOKEN || github.token }}\n"
    )
    return text


# --- refreshing the action pins (nox -s upgrade) ---

_USES = re.compile(
    r"(?P<prefix>\buses:[ \t]*)(?P<repo>[\w.-]+/[\w.-]+)(?P<path>/[^@\s]*)?@(?P<sha>[0-9a-f]{40})"
    r"(?P<space>[ \t]*)#[ \t]*(?P<tag>v?\d[\w.+-]*)"
)

#: ``git ls-remote --tags URL`` for one ``owner/repo``: its output, or None when unreachable.
LsRemote = Callable[[str], "str | None"]


def git_ls_remote(base: str = "https://github.com", runner: Runner = run) -> LsRemote:
    """List tags with ``git ls-remote`` (no API, no token); ``base`` may be a local folder in tests."""

    def ls_remote(repo: str) -> str | None:
        try:
            result = runner(["git", "ls-remote", "--tags", f"{base}/{repo}"])
        except CommandFailed:
            return None  # no git
        return result.stdout if result.returncode == 0 else None

    return ls_remote


def newest_tag(output: str) -> tuple[str, str] | None:
    """The newest release tag and its commit (peeled) in ``git ls-remote --tags`` output."""
    commits: dict[str, str] = {}
    for line in output.splitlines():
        sha, _, ref = line.partition("\t")
        if not ref.startswith("refs/tags/"):
            continue
        tag = ref.removeprefix("refs/tags/")
        if tag.endswith("^{}"):
            commits[tag[:-3]] = sha  # an annotated tag's commit wins over the tag object
        else:
            commits.setdefault(tag, sha)
    releases = []
    for tag, sha in commits.items():
        try:
            version = Version(tag)
        except InvalidVersion:
            continue
        if not version.is_prerelease:
            releases.append((version, tag, sha))
    if not releases:
        return None
    _, tag, sha = max(releases)
    return tag, sha


@dataclass(frozen=True)
class ActionPins:
    #: New text of each workflow that changed, by path.
    files: dict[Path, str]
    #: (workflow file, action, old tag, new tag).
    moves: tuple[tuple[Path, str, str, str], ...]
    notes: tuple[str, ...]


def refresh_action_pins(root: Path, ls_remote: LsRemote | None = None) -> ActionPins:
    """Move every SHA-pinned action in ``.github/workflows`` to its newest release tag."""
    ls_remote = ls_remote or git_ls_remote()
    folder = root / FOLDER
    workflows = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]) if folder.is_dir() else []
    newest: dict[str, tuple[str, str] | None] = {}
    unreachable: list[str] = []
    files: dict[Path, str] = {}
    moves: dict[tuple[Path, str, str, str], None] = {}
    current: list[Path] = []

    def replace(match: re.Match[str]) -> str:
        repo, old_tag = match["repo"], match["tag"]
        if repo not in newest:
            output = ls_remote(repo)
            if output is None:
                unreachable.append(repo)
            newest[repo] = newest_tag(output) if output is not None else None
        found = newest[repo]
        if found is None:
            return match.group(0)
        tag, sha = found
        try:
            newer = Version(tag) > Version(old_tag)
        except InvalidVersion:
            newer = False
        if not newer:
            return match.group(0)
        moves[(current[-1], repo, old_tag, tag)] = None
        return f"{match['prefix']}{repo}{match['path'] or ''}@{sha}{match['space']}# {tag}"

    for path in workflows:
        current.append(path)
        text = path.read_text(encoding="utf-8")
        new = _USES.sub(replace, text)
        if new != text:
            files[path] = new
    notes = tuple(f"action pins not refreshed (offline?): could not list the tags of {repo}" for repo in unreachable)
    return ActionPins(files, tuple(moves), notes)
