"""``tox-conflict`` and ``tox-hash-mix``: what one pip run of a tox environment would refuse."""

from __future__ import annotations

from pathlib import Path

from sprintlock._doctor import check_repository
from sprintlock._inspect.findings import Finding

HASH = " \\\n    --hash=sha256:" + "0" * 64
#: flask's locks as sprintlock writes them: complete (the runtime dependencies too) and hashed.
LOCKS = {
    "tests": f"click==8.5.1{HASH}\npytest==8.3.5{HASH}\n"
    f'greenlet==3.1.1 ; python_version < "3.11"{HASH}\nwerkzeug==3.1.3{HASH}\n',
    "tests-min": f"click==8.1.3{HASH}\npytest==8.3.5{HASH}\nwerkzeug==3.1.0{HASH}\n",
    "typing": f"click==8.5.1{HASH}\nmypy==1.15.0{HASH}\n",
}
INPUTS = {"tests": "pytest\n", "tests-min": "click==8.1.3\nwerkzeug==3.1.0\n", "typing": "mypy\n"}
DEV = "https://github.com/pallets/werkzeug/archive/refs/heads/main.tar.gz\n"
#: flask's tox.ini at its last pip-compile commit (the parts that install).
FLASK_TOX = """\
[tox]
envlist =
    py3{13,12}
    py313-min
    py39-dev
    typing

[testenv]
package = wheel
deps =
    -r requirements/tests.txt
    min: -r requirements/tests-min.txt
    dev: -r requirements/tests-dev.txt
commands = pytest -v --tb=short --basetemp={envtmpdir} {posargs}

[testenv:typing]
deps = -r requirements/typing.txt
commands = mypy

[testenv:style]
deps = pre-commit
skip_install = true
commands = pre-commit run --all-files
"""
#: The same after `sprintlock init`: each factor environment installs one complete set.
FIXED_DEPS = """\
deps =
    !min-!dev: -r requirements/tests.txt
    min: -r requirements/tests-min.txt
    dev: -r requirements/tests.in
    dev: -r requirements/tests-dev.txt
"""
OLD_DEPS = """\
deps =
    -r requirements/tests.txt
    min: -r requirements/tests-min.txt
    dev: -r requirements/tests-dev.txt
"""


def repository(tmp_path: Path, tox: str, extra: dict[str, str] | None = None) -> Path:
    root = tmp_path / "repo"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\nrequires-python = ">=3.9"\n'
        '[tool.sprintlock]\npython = ["3.9", "3.12", "3.13"]\n'
    )
    (root / "tox.ini").write_text(tox)
    for name, text in LOCKS.items():
        (root / f"requirements/{name}.txt").write_text(text)
        (root / f"requirements/{name}.in").write_text(INPUTS[name])
    (root / "requirements/tests-dev.txt").write_text(DEV)
    for relative, text in (extra or {}).items():
        (root / relative).write_text(text)
    return root


def found(root: Path) -> list[Finding]:
    return [f for f in check_repository(root).findings if f.code in ("tox-conflict", "tox-hash-mix")]


def test_flask_tox_ini_with_complete_hashed_locks(tmp_path: Path) -> None:
    conflict, mix = found(repository(tmp_path, FLASK_TOX))
    assert conflict.code == "tox-conflict"
    assert (conflict.file, conflict.line) == ("tox.ini", 11)
    assert conflict.message == (
        "tox env py313-min: one pip run installs click 8.1.3 (requirements/tests-min.txt) and "
        "8.5.1 (requirements/tests.txt); werkzeug 3.1.0 (requirements/tests-min.txt) and 3.1.3 (requirements/tests.txt)"
    )
    assert "`!min: -r requirements/tests.txt`, `min: -r requirements/tests-min.txt`" in conflict.fix
    assert mix.code == "tox-hash-mix"
    assert mix.message.startswith(
        "tox env py39-dev: one pip run installs hashed lines (requirements/tests.txt) and unhashed ones "
        "(requirements/tests-dev.txt): "
    )
    assert "`dev: -r requirements/tests.in`" in mix.fix


def test_the_adopted_tox_ini_is_clean(tmp_path: Path) -> None:
    assert found(repository(tmp_path, FLASK_TOX.replace(OLD_DEPS, FIXED_DEPS))) == []


def test_pins_behind_exclusive_markers_do_not_conflict(tmp_path: Path) -> None:
    extra = {"requirements/old.txt": f'greenlet==2.0.0 ; python_version >= "3.11"{HASH}\n'}
    tox = "[tox]\nenvlist = py39, py313\n[testenv]\ndeps =\n    -r requirements/tests.txt\n"
    tox += "    py313: -r requirements/old.txt\n"
    assert found(repository(tmp_path / "a", tox, extra)) == []
    # Without the Python factor every target counts, and one has both.
    tox = "[testenv:any]\ndeps =\n    -r requirements/tests.txt\n    -r {toxinidir}/requirements/old.txt\n"
    extra["requirements/old.txt"] = f'greenlet==2.0.0 ; python_version < "3.10"{HASH}\n'
    (conflict,) = found(repository(tmp_path / "b", tox, extra))
    assert conflict.message.startswith("tox env any: one pip run installs greenlet 2.0.0 (requirements/old.txt)")


def test_envs_with_the_same_problem_are_one_finding(tmp_path: Path) -> None:
    tox = "[tox]\nenv_list = py3{12,13}-cov\n[testenv]\ndeps =\n    -r requirements/tests.txt\n    cov: pytest-cov\n"
    (mix,) = found(repository(tmp_path, tox))
    assert mix.message.startswith(
        "tox envs py312-cov, py313-cov: one pip run installs hashed lines (requirements/tests.txt) "
        "and unhashed ones (`pytest-cov`)"
    )


def test_a_requirements_file_that_mixes_a_lock_and_names(tmp_path: Path) -> None:
    extra = {
        "requirements/local.txt": "-r tests.txt\nipython  # mine\n",
        "requirements/urls.txt": DEV,  # unhashed only: fine
    }
    (mix,) = found(repository(tmp_path, "[testenv:typing]\ndeps = -r requirements/typing.txt\n", extra))
    assert (mix.code, mix.file) == ("tox-hash-mix", "requirements/local.txt")
    assert mix.message.startswith(
        "installs hashed lines (requirements/tests.txt) with unhashed ones (requirements/local.txt)"
    )


def test_unhashed_locks_and_editable_lines(tmp_path: Path) -> None:
    # pip-compile locks without hashes beside archive URLs: pip installs them (flask before adoption).
    root = repository(tmp_path, FLASK_TOX)
    for name in ("tests", "tests-min", "typing"):
        (root / f"requirements/{name}.txt").write_text(LOCKS[name].replace(HASH, ""))
    (root / "requirements/tests.txt").write_text("pytest==8.3.5\n")
    assert found(root) == []
    (root / "tox.ini").write_text("[testenv:e]\ndeps =\n    -r requirements/typing.txt\n    -e .\n")
    assert found(root) == []
    (root / "requirements/typing.txt").write_text(LOCKS["typing"])
    (mix,) = found(root)
    assert "unhashed ones (`-e .`)" in mix.message
