"""``.github/workflows/tests.yml`` and ``upgrade.yml``: how ``sprintlock init`` renders them.

Both workflows only call nox, so everything they do runs (and is tested) locally too:

- tests: a first job lists the default sessions (``nox --list --json``) and the second
  runs each of them as one matrix job (``fromJSON``): the matrix is the noxfile's,
  never a hand-kept copy. Every session runs on Linux; the test sessions (``tests``,
  one per target Python) also run on macOS and Windows, the systems the locks target.
  The listing is robust: nox may print the installation of its script environment
  (pip writes to stdout) before the JSON, so the step keeps the output in a file and a
  few lines of Python take the last line that is a session list, add the runners, and
  write one ``sessions=<JSON>`` line to ``$GITHUB_OUTPUT``, or fail with what nox printed.
- upgrade: on a schedule (``upgrade-schedule`` in ``[tool.sprintlock]``, monthly by
  default) and on demand: ``nox -s upgrade``, ``nox -s check``, the tests on the new
  locks, then ``nox -s upgrade-pr``, which opens or updates one pull request on
  one fixed branch (see :mod:`sprintlock._ci.upgrade_pr`).

The publish workflow is in :mod:`.publish`. Every workflow has ``permissions: {}`` at the
top, ``contents: read`` on each job that checks out, write permissions only on the job
that needs them, actions pinned by commit SHA with a ``# vX.Y.Z`` comment,
``persist-credentials: false``, timeouts and concurrency (:mod:`.actions` moves the pins
to newer releases; :mod:`.doctor` checks workflows).
"""

from __future__ import annotations

from collections.abc import Iterable

from sprintlock._project.schedule import cron
from sprintlock._standard.noxfile import nox_version
from sprintlock._standard.pins import CHECKOUT, SETUP_PYTHON, Pinned

FOLDER = ".github/workflows"
TESTS = f"{FOLDER}/tests.yml"
UPGRADE = f"{FOLDER}/upgrade.yml"
PUBLISH = f"{FOLDER}/publish.yml"
BRANCH = "sprintlock/upgrade"

#: GitHub's runner labels: every session runs on the first, the test sessions on each.
RUNNERS = ("ubuntu-latest", "macos-latest", "windows-latest")
#: The sessions (by name, before ``-PYTHON``) that run on every runner operating system.
MULTI_OS_SESSIONS = ("tests",)


def uses(pinned: Pinned) -> str:
    """``owner/repo@SHA # vX.Y.Z``: what a ``uses:`` key holds."""
    return f"{pinned.repo}@{pinned.sha} # {pinned.tag}"


def nox_command() -> str:
    """How a step runs nox: pipx is on GitHub's runners; the noxfile's PEP 723 header pins the rest."""
    return f"pipx run nox=={nox_version()}"


def checkout(indent: str = "      ") -> str:
    return f"{indent}- uses: {uses(CHECKOUT)}\n{indent}  with:\n{indent}    persist-credentials: false\n"


def setup_python(version: str, *, prereleases: bool = False) -> str:
    """The setup-python step (``version`` is written as given: quote a literal ``3.10``)."""
    text = f"      - uses: {uses(SETUP_PYTHON)}\n        with:\n          python-version: {version}\n"
    return text + ("          allow-prereleases: true\n" if prereleases else "")


def read_permission(indent: str = "    ") -> str:
    """The permission of a job that only checks out (a private repository needs it)."""
    return f"{indent}permissions:\n{indent}  contents: read  # check out the repository\n"


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

#: The listing step's Python: nox's JSON (the last line that is a session list) -> matrix entries.
MATRIX_SCRIPT = """\
import json
import sys

RUNNERS = {runners}
MULTI_OS = {multi_os}
output = open(sys.argv[1], encoding="utf-8").read()
for line in reversed(output.splitlines()):
    try:
        sessions = json.loads(line)
    except ValueError:
        continue
    if isinstance(sessions, list) and all("session" in entry for entry in sessions):
        break
else:
    sys.exit("no session list in the output of nox --list --json:\\n" + output)
matrix = []
for entry in sessions:
    keep = {{key: entry[key] for key in ("session", "python") if entry.get(key)}}
    runners = RUNNERS if entry.get("name") in MULTI_OS else RUNNERS[:1]
    matrix += [dict(keep, os=runner) for runner in runners]
print("sessions=" + json.dumps(matrix, separators=(",", ":")))
"""


def _indented(text: str, indent: str) -> str:
    return "".join(f"{indent}{line}\n" if line else "\n" for line in text.splitlines())


def _listing_step() -> str:
    """The step that writes the matrix to ``$GITHUB_OUTPUT``: only the JSON gets there."""
    script = MATRIX_SCRIPT.format(runners=repr(list(RUNNERS)), multi_os=repr(list(MULTI_OS_SESSIONS)))
    lines = (
        f'{nox_command()} --list --json > "$RUNNER_TEMP/nox-sessions.txt"\n'
        'python - "$RUNNER_TEMP/nox-sessions.txt" >> "$GITHUB_OUTPUT" <<\'PYTHON\'\n' + script + "PYTHON\n"
    )
    return (
        "      # The default sessions of noxfile.py, one matrix entry per session and runner. nox may\n"
        "      # print the installation of its own environment first: only the JSON line is kept.\n"
        "      - id: list\n"
        "        run: |\n" + _indented(lines, "          ")
    )


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
        "    timeout-minutes: 10\n" + read_permission() + "    outputs:\n"
        "      sessions: ${{ steps.list.outputs.sessions }}\n"
        "    steps:\n" + checkout() + setup_python(f'"{default_python}"') + _listing_step() + "\n"
        "  nox:\n"
        "    name: ${{ matrix.session }} (${{ matrix.os }})\n"
        "    needs: sessions\n"
        "    runs-on: ${{ matrix.os }}\n"
        "    timeout-minutes: 30\n" + read_permission() + "    strategy:\n"
        "      fail-fast: false\n"
        "      matrix:\n"
        "        include: ${{ fromJSON(needs.sessions.outputs.sessions) }}\n"
        "    defaults:\n"
        "      run:\n"
        "        shell: bash  # the same shell on Linux, macOS and Windows\n"
        "    steps:\n"
        + checkout()
        + setup_python(f"${{{{ matrix.python || '{default_python}' }}}}", prereleases=True)
        + "      # nox reads the session to run from NOXSESSION; CI=true makes a missing Python an error.\n"
        f"      - run: {nox_command()}\n"
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
        "    steps:\n" + checkout() + f"      - uses: {uses(SETUP_PYTHON)}\n"
        "        with:\n"
        "          allow-prereleases: true\n"
        "          python-version: |\n"
        + versions
        + "      # New locks, refreshed hook and action pins, and the change report.\n"
        f"      - run: {nox_command()} -s upgrade\n"
        "      # The new locks are fresh and consistent, and the tests pass on them (every target Python).\n"
        f"      - run: {nox_command()} -s check\n"
        f"      - run: {nox_command()} -s tests\n"
        f"      # One pull request on {BRANCH}, updated in place; its body is the change report.\n"
        "      # Token: the default GITHUB_TOKEN works, but GitHub does not start workflows (CI) on a\n"
        "      # pull request it opens. To have the tests run on it, add the secret\n"
        "      # SPRINTLOCK_UPGRADE_TOKEN to the sprintlock-upgrade environment: a GitHub App\n"
        "      # installation token or a fine-grained personal access token with contents and\n"
        "      # pull-requests write access. It is used when present, GITHUB_TOKEN otherwise.\n"
        f"      - run: {nox_command()} -s upgrade-pr\n"
        "        env:\n"
        "          GH_TOKEN: ${{ secrets.SPRINTLOCK_UPGRADE_TOKEN || github.token }}\n"
    )
    return text
