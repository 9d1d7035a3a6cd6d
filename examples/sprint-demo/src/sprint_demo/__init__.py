"""A tiny project locked by sprintlock."""

import click


def greeting(name: str) -> str:
    """The greeting the command line prints."""
    return f"Hello, {name}!"


@click.command()
@click.argument("name", default="sprint")
def main(name: str) -> None:
    click.echo(greeting(name))
