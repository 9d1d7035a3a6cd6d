"""JSON with comments (read with json-five): comments and trailing commas go, strings stay, errors keep their line."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sprintlock._inspect.jsonc import JsoncError, JsonValue, parse_jsonc

# No deadline: the first example pays for importing json-five (and its parser tables), which a
# loaded machine may stretch past any fixed time; no test here asserts on time.
SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


def test_comments() -> None:
    text = '{\n  // line comment\n  "a": 1, /* block */ "b": /* inside */ [2]\n  /* two\n lines */\n}\n'
    assert parse_jsonc(text) == {"a": 1, "b": [2]}


def test_trailing_commas() -> None:
    assert parse_jsonc('{"a": [1, 2,], "b": {"c": 3,},}') == {"a": [1, 2], "b": {"c": 3}}
    assert parse_jsonc("[1,\n  // last\n]") == [1]


@pytest.mark.parametrize(
    "value",
    ["http://x", "a // b", "/* not a comment */", "a,]", 'q",}', 'back\\slash"//', "*/", "/"],
)
def test_strings_that_look_like_comments_or_commas(value: str) -> None:
    text = json.dumps({"k": value, "l": [value]})
    assert parse_jsonc(text) == {"k": value, "l": [value]}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{\n  "a": 1\n  "b": 2\n}', 3),
        ('/* one\n two\n three */\n{"a" 1}', 4),
        ('// x\n{"a": }', 2),
        ("", 1),
    ],
)
def test_errors_have_the_line_of_the_original_text(text: str, line: int) -> None:
    with pytest.raises(JsoncError, match=r"^not valid JSON: ") as raised:
        parse_jsonc(text)
    assert raised.value.line == line


JSON_VALUES: st.SearchStrategy[JsonValue] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from(["a,]", "//x", "/* y */", 'q",}', "\\", '\\"']),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=16,
)


@SETTINGS
@given(JSON_VALUES, st.sampled_from([None, 0, 2]))
def test_any_json_document(value: JsonValue, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert parse_jsonc(text) == json.loads(text)


#: What may stand between two tokens: space, comments (with quotes, commas and slashes in them).
GAPS = st.sampled_from(
    ["", " ", "\n", "// c\n", '// "quoted" ,]\n', "/* c */", "/* two\nlines */", '/* "a", } */', "/**/", "//\n"]
)


def _render(value: JsonValue, data: st.DataObject, comma: bool) -> str:
    """``value`` as JSON with a drawn gap between every two tokens, and trailing commas when ``comma``."""

    def gaps(*tokens: str) -> str:
        return "".join(data.draw(GAPS) + token for token in tokens) + data.draw(GAPS)

    if isinstance(value, list):
        items = [_render(item, data, comma) for item in value]
        return gaps("[") + ",".join(items) + ("," if comma and items else "") + gaps("]")
    if isinstance(value, dict):
        pairs = [gaps(json.dumps(key), ":") + _render(item, data, comma) for key, item in value.items()]
        return gaps("{") + ",".join(pairs) + ("," if comma and pairs else "") + gaps("}")
    return gaps(json.dumps(value))


@SETTINGS
@given(JSON_VALUES, st.booleans(), st.data())
def test_comments_between_tokens_change_nothing(value: JsonValue, comma: bool, data: st.DataObject) -> None:
    text = _render(value, data, comma)
    assert parse_jsonc(text) == json.loads(json.dumps(value))
