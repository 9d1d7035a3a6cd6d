"""``bot-edits-locks``: Dependabot and Renovate configurations that would edit the locks, and ones that would not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sprintlock._doctor import check_repository
from sprintlock._inspect.findings import Finding

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\nrequires-python = ">=3.11"\n'
BOT_CODES = ("bot-edits-locks", "file-invalid")


def repo(
    root: Path, files: dict[str, str], *, pyproject: str = PYPROJECT, layers: tuple[str, ...] = ("tests",)
) -> Path:
    (root / "pyproject.toml").write_text(pyproject)
    folder = "deps" if 'requirements = "deps"' in pyproject else "requirements"
    for layer in layers:
        (root / folder).mkdir(exist_ok=True)
        (root / folder / f"{layer}.in").write_text("alpha\n")
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def bot_findings(root: Path) -> list[Finding]:
    return [f for f in check_repository(root).findings if f.code in BOT_CODES]


def dependabot(ecosystem: str, directory: str, extra: str = "") -> str:
    return (
        "version: 2\n"
        "updates:\n"
        "  - package-ecosystem: github-actions\n"
        '    directory: "/"\n'
        "    schedule:\n"
        "      interval: weekly\n"
        f"  - package-ecosystem: {ecosystem}\n"
        f"    directory: {directory}\n"
        "    schedule:\n"
        "      interval: daily\n" + extra
    )


# --- Dependabot -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ecosystem", "directory"), [("pip", '"/"'), ("uv", '"/"'), ("pip", "/requirements"), ("pip", "/requirements/")]
)
def test_dependabot_on_the_locks_is_flagged(tmp_path: Path, ecosystem: str, directory: str) -> None:
    root = repo(tmp_path, {".github/dependabot.yml": dependabot(ecosystem, directory)})
    (found,) = bot_findings(root)
    assert (found.code, found.file, found.line) == ("bot-edits-locks", ".github/dependabot.yml", 7)
    assert found.message.startswith(f"Dependabot's {ecosystem} updater runs on {directory.strip(chr(34))}")
    assert "requirements/*.txt" in found.message
    assert "`package-ecosystem: github-actions`" in found.fix and 'dependency-name: "*"' in found.fix


def test_dependabot_directories_globs_are_flagged(tmp_path: Path) -> None:
    text = dependabot("pip", "/docs").replace("    directory: /docs\n", '    directories: ["/docs", "/**"]\n')
    root = repo(tmp_path, {".github/dependabot.yaml": text})
    (found,) = bot_findings(root)
    assert (found.file, found.line) == (".github/dependabot.yaml", 7)
    assert "runs on /**" in found.message


def test_a_custom_requirements_folder_is_what_counts(tmp_path: Path) -> None:
    pyproject = PYPROJECT + '\n[tool.sprintlock]\nrequirements = "deps"\n'
    root = repo(tmp_path, {".github/dependabot.yml": dependabot("pip", "/deps")}, pyproject=pyproject)
    assert [f.code for f in bot_findings(root)] == ["bot-edits-locks"]
    root = repo(tmp_path, {".github/dependabot.yml": dependabot("pip", "/requirements")}, pyproject=pyproject)
    assert bot_findings(root) == []


@pytest.mark.parametrize(
    "text",
    [
        dependabot("npm", '"/"'),
        dependabot("pip", "/docs/examples"),
        dependabot("pip", '"/"', '    ignore:\n      - dependency-name: "*"\n'),
        "version: 2\nupdates: []\n",
        "",
    ],
    ids=["npm", "another-folder", "ignore-everything", "no-updates", "empty"],
)
def test_a_clean_dependabot_passes(tmp_path: Path, text: str) -> None:
    assert bot_findings(repo(tmp_path, {".github/dependabot.yml": text})) == []


def test_ignoring_only_some_updates_is_still_flagged(tmp_path: Path) -> None:
    extra = '    ignore:\n      - dependency-name: "*"\n        update-types: ["version-update:semver-major"]\n'
    root = repo(tmp_path, {".github/dependabot.yml": dependabot("pip", '"/"', extra)})
    assert [f.code for f in bot_findings(root)] == ["bot-edits-locks"]


def test_invalid_dependabot_yaml_is_file_invalid(tmp_path: Path) -> None:
    root = repo(tmp_path, {".github/dependabot.yml": "version: 2\nupdates: [\n"})
    (found,) = bot_findings(root)
    assert (found.code, found.file) == ("file-invalid", ".github/dependabot.yml")


# --- Renovate -------------------------------------------------------------------------------

MATCH_LOCKS = {"pip_requirements": {"fileMatch": ["(^|/)requirements/[^/]+\\.txt$"]}}


@pytest.mark.parametrize(
    "config",
    [
        MATCH_LOCKS,
        {"pip-compile": {"managerFilePatterns": ["/(^|/)requirements/[^/]+\\.txt$/"]}},
        {"pip-compile": {"managerFilePatterns": ["requirements/*.txt"]}},
        {"pip-compile": {"managerFilePatterns": ["**/requirements/*.in"]}},
        {**MATCH_LOCKS, "ignorePaths": ["docs/**"]},
        {**MATCH_LOCKS, "packageRules": [{"matchFileNames": ["requirements/**"], "matchPackageNames": ["x"]}]},
    ],
    ids=[
        "fileMatch",
        "managerFilePatterns-regex",
        "managerFilePatterns-glob",
        "glob-any-depth",
        "other-ignore",
        "rule",
    ],
)
def test_renovate_on_the_locks_is_flagged(tmp_path: Path, config: dict[str, object]) -> None:
    root = repo(tmp_path, {"renovate.json": json.dumps(config, indent=2)})
    (found,) = bot_findings(root)
    assert (found.code, found.file) == ("bot-edits-locks", "renovate.json")
    manager = next(name for name in ("pip_requirements", "pip-compile") if name in config)
    assert found.message.startswith(f"Renovate's {manager} manager would edit requirements/tests.")
    assert found.line == 2
    assert '"requirements/**" to "ignorePaths"' in found.fix


@pytest.mark.parametrize(
    "config",
    [
        {"extends": ["config:recommended"]},
        {**MATCH_LOCKS, "ignorePaths": ["requirements/**"]},
        {**MATCH_LOCKS, "ignorePaths": ["**/requirements/**"]},
        {**MATCH_LOCKS, "ignorePaths": ["requirements/"]},
        {"pip_requirements": {**MATCH_LOCKS["pip_requirements"], "enabled": False}},
        {**MATCH_LOCKS, "enabledManagers": ["github-actions", "pep621"]},
        {**MATCH_LOCKS, "packageRules": [{"matchFileNames": ["requirements/**"], "enabled": False}]},
        {**MATCH_LOCKS, "packageRules": [{"matchManagers": ["pip_requirements"], "enabled": False}]},
    ],
    ids=[
        "defaults",
        "ignorePaths",
        "ignorePaths-any-depth",
        "ignorePaths-prefix",
        "disabled",
        "enabledManagers",
        "rule-by-file",
        "rule-by-manager",
    ],
)
def test_renovate_kept_off_the_locks_passes(tmp_path: Path, config: dict[str, object]) -> None:
    assert bot_findings(repo(tmp_path, {"renovate.json": json.dumps(config)})) == []


def test_renovates_default_pattern_reaches_a_requirements_named_layer(tmp_path: Path) -> None:
    root = repo(
        tmp_path, {".renovaterc": '{"extends": ["config:recommended"]}\n'}, layers=("tests", "dev-requirements")
    )
    (found,) = bot_findings(root)
    assert found.file == ".renovaterc"
    assert "would edit requirements/dev-requirements.txt" in found.message
    assert found.line is None  # the default patterns: no line of the file says it


@pytest.mark.parametrize("relative", [".github/renovate.json5", ".renovaterc.json", ".gitlab/renovate.json"])
def test_every_renovate_file_is_read_with_comments(tmp_path: Path, relative: str) -> None:
    text = '{\n  // the pip locks too\n  "pip_requirements": {"fileMatch": ["requirements/.+\\\\.txt$"]},\n}\n'
    (found,) = bot_findings(repo(tmp_path, {relative: text}))
    assert (found.file, found.line) == (relative, 3)


def test_package_json_renovate_key(tmp_path: Path) -> None:
    package = {"name": "web", "renovate": MATCH_LOCKS}
    (found,) = bot_findings(repo(tmp_path, {"package.json": json.dumps(package, indent=2)}))
    assert found.file == "package.json"
    assert bot_findings(repo(tmp_path, {"package.json": json.dumps({"name": "web"})})) == []


def test_unreadable_renovate_files(tmp_path: Path) -> None:
    root = repo(tmp_path, {"renovate.json": "{ nope", "renovate.json5": "{extends: ['config:recommended']}\n"})
    (found,) = bot_findings(root)
    assert (found.code, found.file) == ("file-invalid", "renovate.json")  # JSON5 beyond comments: not judged
