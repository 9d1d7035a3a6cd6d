"""The GitHub workflows of the standard layout: ``tests.yml``, ``upgrade.yml`` and ``publish.yml``.

- :mod:`.render`: how ``sprintlock init`` writes the first two;
- :mod:`.publish`: the release workflow (written when the project has a ``build`` layer);
- :mod:`.doctor`: doctor's checks of every workflow (pinned actions, what ``run:`` steps
  name, hand-kept matrices);
- :mod:`.actions`: ``nox -s upgrade`` moves the SHA-pinned actions to their newest release.

This module holds their registry entries.
"""

from __future__ import annotations

from sprintlock._inspect.repo import Repo
from sprintlock._standard.context import Context
from sprintlock._standard.devcontainer import image_python
from sprintlock._standard.noxfile import has_build_layer
from sprintlock._standard.spec import StandardFile, how_to_replace
from sprintlock._standard.workflows.doctor import check_workflows, runs_tests, runs_upgrade, workflow_runs
from sprintlock._standard.workflows.publish import render_publish_workflow
from sprintlock._standard.workflows.render import (
    PUBLISH,
    TESTS,
    UPGRADE,
    render_tests_workflow,
    render_upgrade_workflow,
)

__all__ = ["PUBLISH_FILE", "TESTS_FILE", "UPGRADE_FILE", "workflow_path"]


def workflow_path(context: Context, relative: str) -> str:
    """``relative`` (``NAME.yml``), or the project's ``NAME.yaml`` when that is how it names it."""
    yaml_name = relative.removesuffix(".yml") + ".yaml"
    return yaml_name if (context.root / yaml_name).is_file() else relative


def _render_tests(context: Context) -> str:
    # The Python that runs nox (and the sessions without one): the devcontainer's.
    return render_tests_workflow(image_python(context.pythons))


def _render_upgrade(context: Context) -> str:
    return render_upgrade_workflow(context.pythons, context.config.upgrade_schedule)


def _render_publish(context: Context) -> str:
    return render_publish_workflow(context.detected.name, image_python(context.pythons))


def _kept_tests(relative: str, theirs: str, standard: str, context: Context) -> tuple[str, ...]:
    targets = context.config.targets
    what = (
        f"sprintlock's runs every nox session (the matrix from `nox --list --json`) on Python "
        f"{', '.join(targets.pythons)} and {', '.join(targets.platforms)} runners, from the locks"
    )
    return (what, how_to_replace(relative))


def _kept_upgrade(relative: str, theirs: str, standard: str, context: Context) -> tuple[str, ...]:
    return (
        "sprintlock's opens one scheduled pull request that upgrades the locks, hooks and actions",
        how_to_replace(relative),
    )


def _kept_publish(relative: str, theirs: str, standard: str, context: Context) -> tuple[str, ...]:
    return (
        "sprintlock's builds from the build lock (`nox -s build`), attests provenance, drafts a release "
        "and publishes it to PyPI with trusted publishing",
        how_to_replace(relative),
    )


def _has_tests_workflow(repo: Repo) -> bool:
    """Some workflow runs the tests on pushes or pull requests (``ci.yaml`` with ``tox run`` counts)."""
    return workflow_runs(repo, runs_tests, on_changes=True)


def _has_upgrade_workflow(repo: Repo) -> bool:
    """Some workflow upgrades the locks (``sprintlock upgrade``, ``nox -s upgrade``, ``upgrade-pr``)."""
    return workflow_runs(repo, runs_upgrade)


def _tests_path(context: Context) -> str:
    return workflow_path(context, TESTS)


def _upgrade_path(context: Context) -> str:
    return workflow_path(context, UPGRADE)


def _publish_path(context: Context) -> str:
    return workflow_path(context, PUBLISH)


TESTS_FILE = StandardFile(
    path=TESTS,
    purpose="CI: the test matrix taken from the noxfile",
    render=_render_tests,
    differing="keep",
    kept=_kept_tests,
    check=check_workflows,
    place=_tests_path,
    present=_has_tests_workflow,
)
UPGRADE_FILE = StandardFile(
    path=UPGRADE,
    purpose="the scheduled pull request that upgrades the locks",
    render=_render_upgrade,
    differing="keep",
    kept=_kept_upgrade,
    check=check_workflows,
    place=_upgrade_path,
    present=_has_upgrade_workflow,
)
# Not required by doctor (a project may release another way), but checked like the others when present.
PUBLISH_FILE = StandardFile(
    path=PUBLISH,
    render=_render_publish,
    differing="keep",
    kept=_kept_publish,
    check=check_workflows,
    wanted=has_build_layer,
    place=_publish_path,
)
