"""``.github/workflows/publish.yml``: release the distribution from the build lock, with provenance.

How a release goes, and why it is shaped this way:

1. A maintainer pushes a version tag (``v1.2.0`` or ``1.2.0``). The ``build`` job checks
   out the tag and runs ``nox -s build``: the same session a maintainer runs locally,
   which installs ``requirements/build.txt`` (hash-checked, by sprintlock.nox) and runs
   ``python -m build``, with ``SOURCE_DATE_EPOCH`` set to the tagged commit's date so
   that the archives do not depend on the clock. It holds only ``contents: read``: the
   build runs the project's own code and gets no write permission and no token.
2. The ``attest`` job signs SLSA build provenance for each file
   (``actions/attest-build-provenance``): the only job with ``id-token: write`` and
   ``attestations: write``, and it runs no project code.
3. The ``release`` job creates a DRAFT GitHub release holding the files
   (``gh release create --draft``): the only job with ``contents: write``.
4. Nothing reaches PyPI until a maintainer reviews the draft and publishes it. Publishing
   starts this workflow again (``release: published``; GitHub starts it because a person
   published the release, not the workflow's token). The ``fetch`` job downloads the
   files attached to the release and verifies each one against its attestation
   (``gh attestation verify``, built from that tag in this repository): a file replaced
   by hand on the draft is refused. Then the ``pypi`` job, in the ``pypi`` environment
   (protect it with required reviewers), uploads exactly those files with trusted
   publishing (``pypa/gh-action-pypi-publish``, OIDC): the only job with
   ``id-token: write`` on this path, and it runs nothing but the upload.

Publishing the reviewed, attested files is sounder than rebuilding on publication: a
rebuild is byte-identical only when every tool and backend is, and what PyPI would get
would not be what the maintainer reviewed.
"""

from __future__ import annotations

from sprintlock._standard.pins import ATTEST_BUILD_PROVENANCE, DOWNLOAD_ARTIFACT, PYPI_PUBLISH, UPLOAD_ARTIFACT
from sprintlock._standard.workflows.render import HEADER, checkout, nox_command, read_permission, setup_python, uses

#: The artifact the jobs hand the files over in.
ARTIFACT = "dist"
#: The GitHub environment of the upload (configure it as the trusted publisher on PyPI).
ENVIRONMENT = "pypi"

TRIGGERS = """\
  push:
    tags: ["v[0-9]*", "[0-9]*"]
  release:
    types: [published]
"""


def _download(indent: str = "      ") -> str:
    return (
        f"{indent}- uses: {uses(DOWNLOAD_ARTIFACT)}\n"
        f"{indent}  with:\n{indent}    name: {ARTIFACT}\n{indent}    path: dist/\n"
    )


def _upload(indent: str = "      ") -> str:
    return (
        f"{indent}- uses: {uses(UPLOAD_ARTIFACT)}\n"
        f"{indent}  with:\n{indent}    name: {ARTIFACT}\n{indent}    path: dist/\n"
        f"{indent}    if-no-files-found: error\n"
    )


def _on_tag(default_python: str) -> str:
    """Build, attest, draft the release: the jobs of a tag push."""
    return (
        "  build:\n"
        "    name: build the sdist and wheel\n"
        "    if: github.event_name == 'push'\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 20\n"
        + read_permission()
        + "    steps:\n"
        + checkout()
        + setup_python(f'"{default_python}"')
        + "      # The build lock (requirements/build.txt), hash-checked, then `python -m build`; the\n"
        "      # archives' file times are the tagged commit's. Run `nox -s build` to do the same locally.\n"
        f'      - run: SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" {nox_command()} -s build\n' + _upload() + "\n"
        "  attest:\n"
        "    name: attest the build provenance\n"
        "    needs: build\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 10\n"
        "    permissions:\n"
        "      id-token: write  # sign the attestations (Sigstore, with this run's OIDC identity)\n"
        "      attestations: write  # store them with the repository\n"
        "    steps:\n" + _download() + f"      - uses: {uses(ATTEST_BUILD_PROVENANCE)}\n"
        "        with:\n"
        "          subject-path: dist/*\n"
        "\n"
        "  release:\n"
        "    name: create the draft release\n"
        "    needs: attest\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 10\n"
        "    permissions:\n"
        "      contents: write  # create the draft release and attach the files\n"
        "    steps:\n"
        + _download()
        + "      # A draft: nothing is published until a maintainer reviews and publishes it.\n"
        '      - run: gh release create "$GITHUB_REF_NAME" --draft --verify-tag --generate-notes'
        ' --title "$GITHUB_REF_NAME" dist/*\n'
        "        env:\n"
        "          GH_TOKEN: ${{ github.token }}\n"
        "          GH_REPO: ${{ github.repository }}\n"
    )


def _on_release(name: str) -> str:
    """Fetch and verify the released files, upload them to PyPI: the jobs of a published release."""
    return (
        "  fetch:\n"
        "    name: fetch the released files and verify their provenance\n"
        "    if: github.event_name == 'release'\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 10\n"
        "    permissions:\n"
        "      contents: read  # download the files of the release\n"
        "      attestations: read  # read their attestations\n"
        "    env:\n"
        "      GH_TOKEN: ${{ github.token }}\n"
        "      GH_REPO: ${{ github.repository }}\n"
        "      TAG: ${{ github.event.release.tag_name }}\n"
        "    steps:\n"
        "      - run: gh release download \"$TAG\" --dir dist --pattern '*.whl' --pattern '*.tar.gz'\n"
        "      # Each file must have been built by this repository's workflow from this tag.\n"
        "      - run: |\n"
        "          for file in dist/*; do\n"
        '            gh attestation verify "$file" --repo "$GH_REPO" --source-ref "refs/tags/$TAG"\n'
        "          done\n" + _upload() + "\n"
        "  pypi:\n"
        "    name: upload to PyPI\n"
        "    needs: fetch\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 10\n"
        "    # Trusted publishing: on PyPI, add this repository, publish.yml and this environment\n"
        "    # as a trusted publisher of the project; protect the environment with required reviewers.\n"
        "    environment:\n"
        f"      name: {ENVIRONMENT}\n"
        f"      url: https://pypi.org/project/{name}/\n"
        "    permissions:\n"
        "      id-token: write  # trusted publishing: PyPI accepts this run's OIDC identity\n"
        "    steps:\n" + _download() + f"      - uses: {uses(PYPI_PUBLISH)}\n"
    )


def render_publish_workflow(name: str, default_python: str) -> str:
    """The release workflow of the distribution ``name``; ``default_python`` runs nox."""
    text = HEADER.format(
        name="publish",
        triggers=TRIGGERS,
        concurrency="${{ github.workflow }}-${{ github.ref }}",
        cancel="false",
    )
    return text + _on_tag(default_python) + "\n" + _on_release(name)
