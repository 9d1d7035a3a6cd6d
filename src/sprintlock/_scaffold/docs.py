"""What a project's documentation configuration obviously needs besides the builder.

Read for ``requirements/docs.in`` (see :mod:`sprintlock._scaffold.detect`): the theme and
the extensions Sphinx's ``conf.py`` names (read with ``ast``, never run), the theme and
plugins of ``mkdocs.yml`` (read line by line: MkDocs files carry ``!!python/name`` tags a
YAML loader refuses). Only names in the tables below count: a wrong guess would make
``init`` fail to resolve, so an unknown or local extension is left to the user.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

#: Sphinx ``html_theme`` -> the distribution that provides it (built-in themes need none).
SPHINX_THEMES = {
    "furo": "furo",
    "sphinx_rtd_theme": "sphinx-rtd-theme",
    "pydata_sphinx_theme": "pydata-sphinx-theme",
    "sphinx_book_theme": "sphinx-book-theme",
    "sphinx_immaterial": "sphinx-immaterial",
    "piccolo_theme": "piccolo-theme",
}
#: Sphinx extension module (its top package, or ``sphinxcontrib.X``) -> the distribution.
SPHINX_EXTENSIONS = {
    "myst_parser": "myst-parser",
    "myst_nb": "myst-nb",
    "sphinx_copybutton": "sphinx-copybutton",
    "sphinx_design": "sphinx-design",
    "sphinx_autodoc_typehints": "sphinx-autodoc-typehints",
    "sphinx_tabs": "sphinx-tabs",
    "sphinx_click": "sphinx-click",
    "sphinx_issues": "sphinx-issues",
    "sphinx_togglebutton": "sphinx-togglebutton",
    "sphinx_inline_tabs": "sphinx-inline-tabs",
    "sphinxext.opengraph": "sphinxext-opengraph",
    "sphinxcontrib.log_cabinet": "sphinxcontrib-log-cabinet",
    "sphinxcontrib.mermaid": "sphinxcontrib-mermaid",
    "sphinxcontrib.programoutput": "sphinxcontrib-programoutput",
    "sphinxcontrib.spelling": "sphinxcontrib-spelling",
    "pallets_sphinx_themes": "pallets-sphinx-themes",
    "autoapi": "sphinx-autoapi",
    "nbsphinx": "nbsphinx",
    "notfound": "sphinx-notfound-page",
}
#: MkDocs ``theme`` -> the distribution (``mkdocs`` and ``readthedocs`` are built in).
MKDOCS_THEMES = {"material": "mkdocs-material"}
#: MkDocs plugin -> the distribution (``search`` is built in).
MKDOCS_PLUGINS = {
    "mkdocstrings": "mkdocstrings",
    "gen-files": "mkdocs-gen-files",
    "literate-nav": "mkdocs-literate-nav",
    "section-index": "mkdocs-section-index",
    "awesome-pages": "mkdocs-awesome-pages-plugin",
    "minify": "mkdocs-minify-plugin",
    "redirects": "mkdocs-redirects",
    "macros": "mkdocs-macros-plugin",
}
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*(?:#.*)?$")
_ITEM = re.compile(r"^\s+-\s*['\"]?([\w.-]+)['\"]?\s*:?")
_NAME = re.compile(r"^\s+name:\s*['\"]?([\w.-]+)['\"]?")


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [item.value for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return []


def _assigned(tree: ast.Module) -> dict[str, list[str]]:
    """The string values of the top-level assignments (``extensions += [...]`` adds)."""
    values: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = _strings(node.value)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            values.setdefault(node.target.id, []).extend(_strings(node.value))
    return values


def _extension_package(module: str) -> str | None:
    parts = module.split(".")
    for key in (".".join(parts[:2]), parts[0]):
        if key in SPHINX_EXTENSIONS:
            return SPHINX_EXTENSIONS[key]
    return None


def sphinx_packages(conf: Path) -> tuple[str, ...]:
    """The theme and extensions ``conf.py`` names that some distribution provides."""
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return ()
    values = _assigned(tree)
    found = [SPHINX_THEMES.get(theme) for theme in values.get("html_theme", [])]
    found += [_extension_package(module) for module in values.get("extensions", [])]
    return tuple(dict.fromkeys(name for name in found if name))


def _top_level_blocks(lines: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Each top-level key's inline value and its indented lines."""
    blocks: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line in lines:
        match = _TOP_KEY.match(line)
        if match:
            current = []
            blocks[match.group(1)] = (match.group(2).strip("'\""), current)
        elif current is not None and line[:1].isspace():
            current.append(line)
    return blocks


def mkdocs_packages(config: Path) -> tuple[str, ...]:
    """The theme and plugins ``mkdocs.yml`` names that some distribution provides."""
    try:
        blocks = _top_level_blocks(config.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()
    theme, theme_lines = blocks.get("theme", ("", []))
    names = [theme] + [m.group(1) for line in theme_lines if (m := _NAME.match(line))]
    found = [MKDOCS_THEMES.get(name) for name in names]
    _, plugin_lines = blocks.get("plugins", ("", []))
    found += [MKDOCS_PLUGINS.get(m.group(1)) for line in plugin_lines if (m := _ITEM.match(line))]
    return tuple(dict.fromkeys(name for name in found if name))
