"""Shared, expensive fixtures, made once per test session: the example portfolio built, and the
small publication project published (tests that change a publication work on a copy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from publish_support import Project, Publication, make_project

from cpomdocs.build.schedule import BuildReport
from cpomdocs.build.schedule import build_portfolio as build

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "contracts"


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """Every example contract of contracts/ built once (PDF, and DOCX when available)."""
    output = tmp_path_factory.mktemp("build")
    return output, build([EXAMPLES], output)


@pytest.fixture(scope="session")
def built(built_examples: tuple[Path, BuildReport]) -> Path:
    """The output folder of the examples built once (no contract failed); a test file may define
    its own `built` for something else."""
    output, report = built_examples
    assert report.failed == []
    return output


@pytest.fixture(scope="session")
def publish_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Two contracts in git, their PDF/A-3b in build/, a CA and another CA (read-only)."""
    return make_project(tmp_path_factory.mktemp("projet"))


@pytest.fixture(scope="session")
def publication(publish_project: Project) -> Publication:
    """publish_project signed and published once (read-only: change publication_copy instead)."""
    from cpomdocs.publish.publish import publish

    project = publish_project
    folder = project.root / "publication"
    report = publish(
        project.build, folder, project.certs.p12, project.certs.password, [project.contracts],
        project.root,
    )  # fmt: skip
    return Publication(folder, report)


@pytest.fixture
def publication_copy(publication: Publication, tmp_path: Path) -> Path:
    """A copy of the publication folder that a test may change (forgeries, deletions)."""
    return Path(shutil.copytree(publication.folder, tmp_path / "publication"))


# The test files that use built_examples: `make test` runs them all on one pytest-xdist worker,
# so that the examples are built once and their PDF texts read once (tests/pdftext.py).
EXAMPLE_FILES = frozenset(
    ["test_annotee12.py", "test_consol13.py", "test_docx.py", "test_law.py", "test_law17.py",
     "test_law18.py", "test_parallel.py", "test_parity.py", "test_pdf.py", "test_review14.py",
     "test_review15.py", "test_review16.py", "test_review17.py", "test_review18.py",
     "test_review19.py", "test_typography.py", "test_visual14.py"]
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test of built_examples outside EXAMPLE_FILES: it would build them again."""
    for item in items:
        uses = "built_examples" in getattr(item, "fixturenames", ())
        if uses and item.path.name not in EXAMPLE_FILES:
            raise pytest.UsageError(
                f"{item.nodeid} utilise built_examples : ajoutez {item.path.name} à "
                "EXAMPLE_FILES dans tests/conftest.py (make test les groupe sur un worker)"
            )


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadfile`: each file on one worker, and EXAMPLE_FILES together on one."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ExamplesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "built_examples" if scope.rsplit("/", 1)[-1] in EXAMPLE_FILES else scope

    return ExamplesTogether(config, log)
