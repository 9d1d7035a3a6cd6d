"""Edits of the user's files keep everything the edit is not about (property tests).

- ``.pre-commit-config.yaml``: the sprintlock hook is added to any valid config (``repos:``
  anywhere, block or flow style, any indentation, comments anywhere); a block list gets it as
  one inserted block, every other byte the user's; the result reads as the user's config plus
  the hook; adding it again changes nothing.
- ``devcontainer.json`` (JSON with comments): members set, added and removed; the result
  reads as the edited values, and every comment outside the edited members is still there.
- ``pyproject.toml``: ``[tool.sprintlock]`` added by tomlkit, every line of the user's kept in
  order; a key's line found for error messages however the key is spelled.
"""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sprintkit import load_yaml

from sprintlock._inspect.jsonc import DELETE, JsonValue, edit_jsonc, parse_jsonc
from sprintlock._project.pyproject import key_line
from sprintlock._standard.pins import SPRINTLOCK_HOOK
from sprintlock._standard.precommit import adopt_precommit_config, sprintlock_block
from sprintlock._standard.pyproject import SPRINTLOCK_TABLE, has_tool_table, with_tool_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None)

# --- .pre-commit-config.yaml ---

HOOK_IDS = st.lists(st.sampled_from(["ruff", "ruff-format", "check-yaml", "mypy", "end-of-file-fixer"]), max_size=3)
REPOS = st.lists(
    st.tuples(st.sampled_from(["https://github.com/a/b", "https://example.com/c.git", "local", "meta"]), HOOK_IDS),
    max_size=3,
)
OTHER_KEYS = st.lists(
    st.sampled_from(
        [
            "fail_fast: true",
            "exclude: '^docs/'",
            "ci:\n  autoupdate_schedule: monthly  # ci comment",
            "default_language_version:\n    python: python3.12",
            "minimum_pre_commit_version: '3.0'",
        ]
    ),
    unique=True,
    max_size=3,
)
COMMENTS = st.sampled_from(["", "# a comment\n", "  # indented comment\n", "\n"])


def _block_repos(repos: list[tuple[str, list[str]]], dash: str, inner: str, data: st.DataObject) -> str:
    """``repos:`` as a block list, items at ``dash`` indentation, hooks at ``inner`` under them."""
    lines = "repos:\n"
    for url, hooks in repos:
        lines += data.draw(COMMENTS)
        lines += f"{dash}- repo: {url}\n"
        if url not in ("local", "meta"):
            lines += f"{dash}  rev: v1.0.0  # frozen: v1.0.0\n"
        if not hooks:
            lines += f"{dash}  hooks: []\n"
        elif data.draw(st.booleans()):
            lines += f"{dash}  hooks: [{', '.join('{id: ' + hook + '}' for hook in hooks)}]\n"
        else:
            lines += f"{dash}  hooks:\n" + "".join(f"{dash}  {inner}- id: {hook}\n" for hook in hooks)
    return lines


def _flow_repos(repos: list[tuple[str, list[str]]]) -> str:
    items = [f"{{repo: {url}, hooks: [{', '.join('{id: ' + h + '}' for h in hooks)}]}}" for url, hooks in repos]
    return f"repos: [{', '.join(items)}]  # flow\n"


def _hook() -> object:
    return load_yaml(sprintlock_block(""))[0]


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@SETTINGS
@given(REPOS, OTHER_KEYS, st.integers(0, 3), st.sampled_from(["", "  ", "    "]), st.booleans(), st.data())
def test_the_hook_is_added_to_any_config(
    repos: list[tuple[str, list[str]]],
    others: list[str],
    position: int,
    dash: str,
    flow: bool,
    data: st.DataObject,
) -> None:
    inner = data.draw(st.sampled_from(["", "  "]))
    repos_text = _flow_repos(repos) if flow or not repos else _block_repos(repos, dash, inner, data)
    parts = [*others[:position], repos_text, *others[position:]]
    text = data.draw(COMMENTS) + "".join(part if part.endswith("\n") else part + "\n" for part in parts)
    before = load_yaml(text)

    merged = adopt_precommit_config(text)

    assert merged is not None, text
    new, notes = merged
    assert notes and notes[0].startswith(f"appended the {SPRINTLOCK_HOOK} hook")
    after = load_yaml(new)
    assert after == {**before, "repos": [*before["repos"], _hook()]}
    assert list(after) == list(before)  # the keys keep their order
    assert set(_comments(text)) <= set(_comments(new))  # no comment lost
    if not flow and repos:
        # A block list: one block inserted, every other byte the user's.
        block = sprintlock_block(dash)
        assert new.replace(block, "", 1) == text
    assert adopt_precommit_config(new) == (new, ())  # once is enough


def test_the_hook_already_there_changes_nothing() -> None:
    text = "repos:\n- repo: local\n  hooks:\n  - {id: sprintlock-check, entry: x, language: system}\n"
    assert adopt_precommit_config(text) == (text, ())


def test_a_config_without_repos_gets_them() -> None:
    new, _ = adopt_precommit_config("# mine\nfail_fast: true\n") or ("", ())
    assert new.startswith("# mine\nfail_fast: true\nrepos:\n")
    assert load_yaml(new)["repos"] == [_hook()]


# --- devcontainer.json (JSON with comments) ---

KEYS = st.sampled_from(["image", "name", "onCreateCommand", "postCreateCommand", "features", "a b", "ünï"])
VALUES: st.SearchStrategy[JsonValue] = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8) | st.sampled_from(["a // b", "/* c */", ","]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)
INDENTS = st.sampled_from(["  ", "    ", "\t"])


def _document(members: dict[str, JsonValue], indent: str, comma: bool, one_line: bool) -> tuple[str, dict[str, str]]:
    """A JSONC object with a numbered comment before each member; returns it and each member's comment."""
    comments = {key: f"// note {number} about {key}" for number, key in enumerate(members)}
    if one_line:
        body = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in members.items())
        return "/* top */ {" + body + (", " if comma and members else "") + "}\n", {}
    lines = [f"{indent}{comments[k]}\n{indent}{json.dumps(k)}: {json.dumps(v)}" for k, v in members.items()]
    body = ",\n".join(lines) + ("," if comma and lines else "")
    return "// For format details, see the reference.\n{\n" + body + f"\n{indent}// the end\n}}\n", comments


EDITS = st.lists(st.tuples(KEYS, st.one_of(st.just(DELETE), VALUES)), max_size=4)


@SETTINGS
@given(st.dictionaries(KEYS, VALUES, max_size=5), EDITS, INDENTS, st.booleans(), st.booleans())
def test_jsonc_edits_keep_what_they_do_not_touch(
    members: dict[str, JsonValue],
    edits: list[tuple[str, object]],
    indent: str,
    comma: bool,
    one_line: bool,
) -> None:
    text, comments = _document(members, indent, comma, one_line)
    expected = dict(members)
    for key, value in edits:
        if value is DELETE:
            expected.pop(key, None)
        else:
            expected[key] = value  # type: ignore[assignment]

    new = edit_jsonc(text, [((key,), value) for key, value in edits])

    assert parse_jsonc(new) == expected
    result = parse_jsonc(new)
    assert isinstance(result, dict) and list(result) == list(expected)  # members keep their order; new ones come last
    untouched = [comment for key, comment in comments.items() if key not in {k for k, _ in edits}]
    for comment in ["/* top */"] if one_line else [*untouched, "// For format details, see the reference."]:
        assert comment in new
    assert edit_jsonc(new, []) == new


def test_nested_members_are_set_in_place() -> None:
    text = '{\n\t// mine\n\t"customizations": {\n\t\t"vscode": {} // empty\n\t}\n}\n'
    new = edit_jsonc(text, [(("customizations", "vscode", "settings"), {"a": 1})])
    settings = '"vscode": {\n\t\t\t"settings": {\n\t\t\t\t"a": 1\n\t\t\t}\n\t\t} // empty'
    assert new == '{\n\t// mine\n\t"customizations": {\n\t\t' + settings + "\n\t}\n}\n"


@SETTINGS
@given(st.dictionaries(KEYS, VALUES, max_size=5), EDITS, st.sampled_from([None, 2, 4, "\t"]))
def test_strict_json_stays_strict_json(
    members: dict[str, JsonValue], edits: list[tuple[str, object]], indent: object
) -> None:
    text = json.dumps(members, indent=indent) + "\n"  # type: ignore[arg-type]
    new = edit_jsonc(text, [((key,), value) for key, value in edits])
    assert json.loads(new) == parse_jsonc(new)  # no comment, no trailing comma: any JSON reader reads it


# --- pyproject.toml (tomlkit) ---

TOML_TABLES = st.lists(
    st.sampled_from(
        [
            '[project]\nname = "demo"  # the distribution\nversion = "1"\n',
            "[tool.ruff]\nline-length = 100  # wide\n",
            '[tool.ruff.lint]\nselect = ["E", "F"]\n',
            '[project.urls]\nHome = "https://example.com"\n',
            "# a comment of its own\n",
            '[build-system]\nrequires = ["flit_core"]\n',
            "[tool]\nblack = {line-length = 99}\n",
        ]
    ),
    unique=True,
    max_size=5,
)


def _toml_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@SETTINGS
@given(TOML_TABLES, st.sampled_from(["", "\n", "\n\n"]))
def test_the_tool_table_is_added_keeping_the_users_text(tables: list[str], gap: str) -> None:
    if "[tool]\n" in tables and any(t.startswith("[tool.") for t in tables):
        tables.remove("[tool]\nblack = {line-length = 99}\n")  # [tool] after [tool.x] would be a redefinition
    text = gap.join(tables)
    new = with_tool_table(text)
    before, after = tomllib.loads(text), tomllib.loads(new)
    assert after == {**before, "tool": {**before.get("tool", {}), "sprintlock": {}}}
    added = _toml_lines(SPRINTLOCK_TABLE)
    assert [line for line in _toml_lines(new) if line not in added] == _toml_lines(text)  # theirs, in order
    assert has_tool_table(new) and with_tool_table(new) == new


SPELLINGS = [
    ("[tool.sprintlock]\n# mine\npython = 5\n", 3),
    ('tool.sprintlock.python = 5\n[project]\nname = "x"\n', 1),
    ("[tool]\nsprintlock.python = 5\n", 2),
    ("[tool]\nsprintlock = {hashes = true, python = 5}\n", 2),
    ("[ tool . 'sprintlock' ]\n\n  \"python\" = 5\n", 3),
    ("[tool.sprintlock]\nhashes = true\n[project]\nname = 'x'\n[tool.sprintlock.python]\nx = 1\n", 5),
]


@SETTINGS
@given(st.sampled_from(SPELLINGS), st.sampled_from(["", '[project]\nname = "demo"\n\n', "# top\n\n"]))
def test_a_keys_line_is_found_however_it_is_spelled(spelling: tuple[str, int], prefix: str) -> None:
    text, line = spelling
    if prefix.startswith("[project]") and "[project]" in text:
        prefix = ""
    shift = prefix.count("\n")
    assert key_line(prefix + text, ("tool", "sprintlock", "python")) == line + shift
    assert key_line(prefix + text, ("tool", "sprintlock", "platforms")) is not None  # the table's line
    assert key_line(prefix + text, ("nothing",)) is None


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ("[[tool.sprintlock]]\nhashes = true\n", ("tool", "sprintlock"), 1),  # an array of tables: its first
        ("[project]\n\n[tool.sprintlock.extra]\nx = 1\n", ("tool", "sprintlock"), 3),  # no header of its own
        ('[tool.sprintlock]\nhashes = "yes"\n', ("tool", "sprintlock", "hashes"), 2),  # a string
        (
            "[tool.sprintlock]\nhashes = true\n",
            ("tool", "sprintlock", "hashes"),
            2,
        ),  # a bool (tomlkit indexes it as a plain bool)
        ("not toml = = =\n", ("tool",), None),
    ],
)
def test_key_line_edge_cases(text: str, path: tuple[str, ...], line: int | None) -> None:
    assert key_line(text, path) == line
