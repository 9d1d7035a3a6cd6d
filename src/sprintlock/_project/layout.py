"""The paths of a managed project that code below :mod:`sprintlock._standard` must name.

Each standard file's module owns everything about its file; the few paths that lower
layers also need (the environment code looks for the pre-commit config, the lock
engine and the stamp name ``pyproject.toml``) are declared here, once, and the
standard modules take them from here.
"""

from __future__ import annotations

PYPROJECT = "pyproject.toml"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
#: The pyproject.toml table of PEP 735 dependency groups (each group is a layer).
DEPENDENCY_GROUPS = "dependency-groups"
