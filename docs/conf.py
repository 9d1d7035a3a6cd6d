"""Sphinx configuration: the Markdown pages through MyST, the reference generated from the code.

Built by ``nox -s docs`` (every warning is an error). The ``sprintlock`` imported here is
the checkout's, installed into the session's environment from the docs lock.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sprintlock"
author = "sprintlock contributors"
copyright = "sprintlock contributors"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sprintlock_docs",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_ext"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]
html_theme = "alabaster"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
