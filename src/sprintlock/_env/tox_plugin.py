"""The tox 4 plugin: tox environments that are exactly a lock plus the project, like nox sessions.

An environment opts in with ``sprintlock_layer = NAME`` in its section of ``tox.ini``;
before its commands run, :func:`sprintlock.sync` makes it hold exactly
``requirements/NAME.txt`` (the pins that apply to its Python, hash-checked) plus the
project installed without dependencies, and stamps it. The sync runs where tox installs the
environment's ``deps``, so ``tox run --notest`` (which prepares environments for a later
run) syncs too. The same function builds the
``nox`` sessions' environments (:func:`sprintlock.nox.install`), so ``tox -e tests``
and ``nox -s tests`` test in the same set of distributions. A reused environment whose
stamp still matches costs no install command; a changed lock or a hand-installed
package is synced away before the commands run.

Why a plugin rather than ``commands_pre = sprintlock sync ...``: the plugin runs the
sprintlock that tox itself was provisioned with (``[tox] requires = sprintlock==X``),
so the environment never needs sprintlock (or anything outside its lock) installed in
it, and a sync failure is a clear tox failure naming the lock, not a command error.

Environments should set ``skip_install = true`` (``sprintlock init --tox`` does): tox's
own packaging would install the project's dependencies unpinned before the sync.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from tox.config.loader.memory import MemoryLoader
from tox.config.sets import EnvConfigSet
from tox.config.types import Command
from tox.plugin import impl
from tox.session.state import State
from tox.tox_env.api import ToxEnv
from tox.tox_env.errors import Fail

from sprintlock._core.errors import SprintlockError
from sprintlock._env.sync import sync
from sprintlock._lock.names import lock_spec
from sprintlock._project.config import load_project

logger = logging.getLogger(__name__)

_FREEZE = (
    "python",
    "-I",
    "-c",
    "import importlib.metadata as m;"
    "print(*sorted(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions()), sep=chr(10))",
)
LAYER_KEY = "sprintlock_layer"
PROJECT_KEY = "sprintlock_project"
EDITABLE_KEY = "sprintlock_editable"
FORMAT_KEY = "sprintlock_format"


@impl
def tox_add_env_config(env_conf: EnvConfigSet, state: State) -> None:
    env_conf.add_config(
        keys=[LAYER_KEY],
        of_type=str,
        default="",
        desc="sprintlock: make this environment exactly requirements/LAYER.txt plus the project",
    )
    env_conf.add_config(
        keys=[PROJECT_KEY],
        of_type=bool,
        default=True,
        desc="sprintlock: also install the project (without its dependencies)",
    )
    env_conf.add_config(
        keys=[EDITABLE_KEY],
        of_type=bool,
        default=False,
        desc="sprintlock: install the project in editable mode",
    )
    env_conf.add_config(
        keys=[FORMAT_KEY],
        of_type=str,
        default="requirements",
        desc="sprintlock: install requirements/LAYER.txt (requirements) or requirements/pylock.LAYER.toml (pylock)",
    )
    if env_conf[LAYER_KEY]:
        # The synced environment has no pip unless the lock has it, so tox's default
        # `pip freeze` (run on CI) would fail: list the distributions with the stdlib.
        env_conf.loaders.append(MemoryLoader(list_dependencies_command=Command(list(_FREEZE))))


@impl
def tox_on_install(tox_env: ToxEnv, arguments: Any, section: str, of_type: str) -> None:
    """Sync when tox installs the environment's ``deps``: each run, ``--notest`` runs included.

    tox installs ``deps`` (empty or not) every time it sets an environment up, before the
    package and before any command; ``tox run --skip-env-install`` skips this, and so the sync.
    """
    layer: str = tox_env.conf[LAYER_KEY]
    if not layer or (section, of_type) != ("PythonRun", "deps"):
        return
    root: Path = tox_env.core["tox_root"]
    venv: Path = tox_env.conf["env_dir"]
    try:
        result = sync(
            load_project(root),
            lock_spec(layer, tox_env.conf[FORMAT_KEY]),
            venv,
            install_project=tox_env.conf[PROJECT_KEY],
            editable=tox_env.conf[EDITABLE_KEY],
        )
    except SprintlockError as exc:
        raise Fail(f"sprintlock: {exc}") from None
    if result.skipped:
        logger.warning("sprintlock: %s matches the %s lock (stamp), nothing to install", tox_env.name, layer)
    else:
        logger.warning("sprintlock: %s synced to the %s lock: %s", tox_env.name, layer, result.changes())
