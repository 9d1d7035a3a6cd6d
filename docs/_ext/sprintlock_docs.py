"""Sphinx extension: directives that render the reference from the code.

- ``sprintlock-cli``: every command's ``--help`` (from the argparse parser);
- ``sprintlock-config``: the ``[tool.sprintlock]`` keys (``_project/config.py``).

The doctor codes' table (doctor.md) and the ``sprintlock.nox`` API (autodoc) are checked
against the code by tests/e2e/test_doctor.py and by autodoc itself.

A key without a description is a warning, which ``nox -s docs`` (``-W``) turns into an error.
"""

from __future__ import annotations

from typing import Any

import sprintlock_reference
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOG = logging.getLogger(__name__)


class _Markdown(SphinxDirective):
    """Renders generated Markdown in place (MyST parses the nested content)."""

    def markdown(self) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        text = self.markdown()
        self.state.nested_parse(StringList(text.splitlines(), source=self.get_source_info()[0]), 0, container)
        return list(container.children)


class CliDirective(_Markdown):
    def markdown(self) -> str:
        return sprintlock_reference.cli_markdown()


class ConfigDirective(_Markdown):
    def markdown(self) -> str:
        for key in sprintlock_reference.missing_config_keys():
            LOG.warning("[tool.sprintlock] key %r has no description in docs/_ext/sprintlock_reference.py", key)
        return sprintlock_reference.config_markdown()


def setup(app: Any) -> dict[str, object]:
    app.add_directive("sprintlock-cli", CliDirective)
    app.add_directive("sprintlock-config", ConfigDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
