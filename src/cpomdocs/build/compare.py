"""`cpomdocs diff`: pick the two versions, compute the semantic diff, write it in a format
(text and Markdown, or the contract with its changes marked as HTML, PDF or DOCX)."""

from __future__ import annotations

from pathlib import Path

from cpomdocs.data.folders import refuse_writing_over_sources
from cpomdocs.documents.comparison import now_stamp, redline
from cpomdocs.errors import UsageError
from cpomdocs.versions.diff import diff_contracts
from cpomdocs.versions.renames import old_name, read_range, shown_name
from cpomdocs.versions.sources import Version, read_avenant, read_version
from cpomdocs.versions.text import render_json, render_markdown, render_text
from cpomdocs.write import write_bytes_atomic, write_text_atomic

TEXT_FORMATS = ("text", "md", "json")


def pick_versions(
    sources: list[str], rev_range: str | None, avenant: int | None, cwd: Path | None = None
) -> tuple[Version, Version]:
    """The old and new versions named on the command line."""
    if rev_range and avenant is not None:
        raise UsageError("--rev et --avenant ne se combinent pas : choisissez l'un des deux")
    if rev_range or avenant is not None:
        if len(sources) != 1:
            option = "--rev" if rev_range else "--avenant"
            raise UsageError(f"{option} attend un seul contrat (fichier ou dossier)")
        if rev_range:
            return read_range(rev_range, sources[0], cwd)
        assert avenant is not None
        return read_avenant((cwd or Path.cwd()) / sources[0], avenant)
    if len(sources) != 2:
        raise UsageError("deux versions à comparer attendues : ANCIEN NOUVEAU")
    return read_version(sources[0], cwd), read_version(sources[1], cwd)


def run_diff(
    sources: list[str],
    rev_range: str | None,
    avenant: int | None,
    output_format: str,
    output: Path | None,
    *,
    color: bool = False,
    cwd: Path | None = None,
) -> str | None:
    """Compute the diff; return text/md to print, or write any format into `output`."""
    if output is not None:
        check_output_file(output, sources, cwd or Path.cwd())
    old, new = pick_versions(sources, rev_range, avenant, cwd)
    if output_format in TEXT_FORMATS:
        changes = diff_contracts(old.data, new.data, old.label, new.label)
        if output_format == "json":
            text = render_json(changes)
        elif output_format == "md":
            text = render_markdown(changes)
        else:
            text = render_text(changes, color)
        if output is None:
            return text
        write_text_atomic(output, text)
        return None
    if output is None and output_format != "html":
        raise UsageError(f"--format {output_format} s'écrit dans un fichier : ajoutez -o FICHIER")
    data = render_redline(old, new, output_format)
    if output is None:
        return data.decode("utf-8")
    write_bytes_atomic(output, data)
    return None


def check_output_file(output: Path, sources: list[str], cwd: Path) -> None:
    """Refuse an output file that is one of the compared files or lies in a contract folder:
    `-o contracts/x/cpom.yaml` wrote the PDF over the contract itself."""
    refuse_writing_over_sources(
        output,
        [cwd / source for source in sources],
        over_input=f"{output}: c'est une des versions comparées, elle serait écrasée : "
        "choisissez un autre fichier de sortie (-o)",
        in_contract=lambda folder: (
            f"{output}: ce fichier de sortie est dans le dossier du "
            f"contrat {folder}, parmi ses sources : écrivez-le ailleurs, par exemple "
            "-o build/comparaison.pdf"
        ),
    )


def render_redline(old: Version, new: Version, output_format: str) -> bytes:
    """The rendered contract with OLD → NEW changes marked, as HTML, PDF or DOCX (tracked)."""
    document = redline(old, new, now_stamp())
    if output_format == "html":
        from cpomdocs.render.pdf import render_html

        return render_html(document).encode("utf-8")
    if output_format == "pdf":
        from cpomdocs.render.pdf import render_pdf

        return render_pdf(document)
    from cpomdocs.render.docx import render_docx

    return render_docx(document)


def old_name_line(
    sources: list[str], rev_range: str | None, avenant: int | None, output: Path | None, tty: bool
) -> str:
    """`diff --ancien-nom`: the folder's name at revision A followed by a NUL, or nothing; on
    a terminal, a name from the history has its escape sequences shown, not run."""
    if not rev_range or len(sources) != 1 or avenant is not None or output is not None:
        raise UsageError("--ancien-nom s'emploie seul avec --rev A..B DOSSIER")
    name = old_name(rev_range, sources[0])
    if name and tty:
        name = shown_name(name)
    return f"{name}\0" if name else ""
