from click.testing import CliRunner
from sprint_demo import greeting, main


def test_greeting() -> None:
    assert greeting("sprint") == "Hello, sprint!"


def test_command() -> None:
    result = CliRunner().invoke(main, ["nox"])
    assert result.exit_code == 0
    assert result.output == "Hello, nox!\n"
