"""``.github/workflows/tests.yml`` and ``upgrade.yml``: how ``sprintlock init`` renders them.

Both workflows only call nox, so everything they do runs (and is tested) locally too:

- tests: a first job lists the default sessions (``nox --list --json``) and the second
  runs each of them as one matrix job (``fromJSON``): the matrix is the noxfile's,
  never a hand-kept copy.
- upgrade: on a schedule (``upgrade-schedule`` in ``[tool.sprintlock]``, monthly by
  default) and on demand: ``nox -s upgrade``, ``nox -s check``, the tests on the new
  locks, then ``nox -s upgrade-pr``, which opens or updates one pull request on
  one fixed branch (see :mod:`sprintlock._ci.upgrade_pr`).

Every workflow has ``permissions: {}`` at the top, write permissions only on the job
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
