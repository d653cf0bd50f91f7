"""YAML and JSON files into plain data that remembers the line and column of every value."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from cpomdocs.data.document import Document, Path_, dotted
from cpomdocs.data.yaml_events import (
    MAX_DEPTH,
    Composer,
    JsonPairs,
    Loader,
    printable,
    read_float,
    read_int,
    value_problem,
)
from cpomdocs.errors import InputError, Problem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Document", "Path_", "dotted", "load_document", "load_text"]

MAX_BYTES = 2 * 1024 * 1024

# libyaml's usual complaints, said in French (the original stays in parentheses).
_YAML_REASONS = {
    "mapping values are not allowed in this context": "deux-points inattendu ; une valeur "
    "contenant « : » doit être entre guillemets, ou l'indentation est décalée",
    "did not find expected key": "indentation incohérente ou tiret de liste mal placé",
    "could not find expected ':'": "deux-points « : » manquant après une clé",
    "found character that cannot start any token": "caractère interdit en début de valeur "
    "(tabulation, @ ou `) : indentez avec des espaces ou mettez la valeur entre guillemets",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non refermé ?)",
    "did not find expected node content": "valeur attendue (crochet ou accolade non refermé, "
    "ou virgule en trop ?)",
    "did not find expected ',' or ']'": "virgule ou crochet fermant « ] » attendu",
    "did not find expected ',' or '}'": "virgule ou accolade fermante « } » attendue",
    "did not find expected '-' indicator": "tiret de liste « - » attendu : indentation décalée",
    "block sequence entries are not allowed in this context": "tiret de liste inattendu : "
    "indentation décalée, ou valeur déjà donnée sur la ligne de la clé",
    "found unknown escape character": "échappement inconnu après « \\ » dans un texte entre "
    "guillemets doubles : doublez la barre (\\\\) ou utilisez des guillemets simples",
    "found invalid Unicode character escape code": "échappement Unicode invalide dans un texte "
    "entre guillemets doubles (moitié de paire \\uD800-\\uDFFF ou code trop grand) : écrivez le "
    "caractère lui-même",
    "did not find expected hexdecimal number": "échappement \\x, \\u ou \\U incomplet : chiffres "
    "hexadécimaux attendus (ou doublez la barre \\\\)",
    "did not find expected alphabetic or numeric character": "nom d'ancre ou d'alias attendu "
    "après & ou * : une valeur qui commence par & ou * s'écrit entre guillemets",
    "did not find the expected '>'": "étiquette « !<…> » non refermée : une valeur qui commence "
    "par ! s'écrit entre guillemets",
    "did not find expected comment or line break": "texte inattendu après | ou > : seuls -, + "
    "et un chiffre d'indentation peuvent les suivre sur la ligne",
    "found duplicate %YAML directive": "directive %YAML donnée deux fois",
}
# An unclosed quote runs to the end of the file: said where it opens (libyaml's context_mark).
_UNCLOSED_QUOTE = "while scanning a quoted scalar"
_JSON_REASONS = {
    "Expecting ',' delimiter": "virgule manquante",
    "Expecting ':' delimiter": "deux-points manquant",
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets attendu "
    "(ou virgule en trop)",
    "Unterminated string starting at": "texte non refermé",
    "Extra data": "contenu après la fin du document",
    "Illegal trailing comma before end of object": "virgule en trop avant «}»",
    "Illegal trailing comma before end of array": "virgule en trop avant «]»",
    "Invalid control character at": "caractère de contrôle dans un texte (écrivez \\n pour un "
    "retour à la ligne, \\t pour une tabulation)",
    "Invalid \\escape": "séquence d'échappement « \\ » invalide (écrivez \\\\ pour une "
    "barre oblique inverse)",
}


NOT_REGULAR = (
    "ce n'est pas un fichier ordinaire (périphérique, tube nommé…) : un fichier YAML était attendu"
)


def load_document(path: Path) -> Document:
    """Read a YAML or JSON file, refusing what could hurt or silently lose data."""
    name = str(path)
    if not path.exists():
        raise InputError([Problem(name, 0, 0, "", "fichier introuvable")])
    if path.is_dir():
        raise InputError([Problem(name, 0, 0, "", "c'est un dossier, un fichier était attendu")])
    if not path.is_file():  # /dev/zero or a named pipe: its size says 0, reading never ends
        raise InputError([Problem(name, 0, 0, "", NOT_REGULAR)])
    size = path.stat().st_size
    if size > MAX_BYTES:  # refused before reading a byte of it
        shown = f"{size / 2**20:.1f}".replace(".", ",")
        message = f"fichier trop volumineux ({shown} Mo) : {MAX_BYTES // 2**20} Mo au plus"
        raise InputError([Problem(name, 0, 0, "", message)])
    text = _decode(path.read_bytes(), name)
    return load_text(text, path, json_syntax=path.suffix.lower() == ".json")


def load_text(text: str, path: Path, *, json_syntax: bool = False) -> Document:
    """Turn YAML (or JSON) text into a Document; `path` only names it in messages."""
    name = str(path)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise InputError([Problem(name, 1, 1, "", "fichier vide : un contenu YAML était attendu")])
    shadow: Any = None
    source = text  # where characters are looked for: the text as the user wrote it
    if json_syntax:
        shadow = _json_data(text, name)
        # libyaml reads JSON too, but not its \uXXXX surrogate pairs: the values come from
        # json, the positions from libyaml, on a same-length copy that it can read.
        text = re.sub(r"\\u[0-9a-fA-F]{4}", r"\\u0041", text)
    document = Document(path, None)
    problems: list[Problem] = []
    try:
        document.data = Composer(document, problems, json_syntax).run(text, shadow, source)
    except yaml.YAMLError as exc:
        if not json_syntax:
            raise InputError([_yaml_problem(exc, name, text)]) from None
        # Valid JSON that libyaml cannot read (a colon on the line after its key): keep the
        # data, without positions (its problems then point at the first line).
        document, problems = Document(path, None), []
        document.data = _unpaired(shadow, (), document, problems)
    if problems:
        raise InputError(problems)
    return document


def _unpaired(value: Any, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    """JSON data read with JsonPairs as plain dicts and lists (duplicates and depth refused)."""
    if len(path) > MAX_DEPTH:
        message = f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"
        raise InputError([doc.problem(path, message)])
    if isinstance(value, list) and not isinstance(value, JsonPairs):
        return [_unpaired(item, (*path, i), doc, problems) for i, item in enumerate(value)]
    if not isinstance(value, JsonPairs):
        message = value_problem(value)
        if message:
            problems.append(doc.problem(path, message))
        return value
    result: dict[str, Any] = {}
    for key, item in value:
        message = value_problem(key)
        if message:
            problems.append(doc.problem(path, f"clé « {printable(key)} » : {message}"))
            key = printable(key)
        if key in result:
            message = f"clé « {key} » donnée deux fois : le second bloc remplacerait le premier"
            problems.append(doc.problem((*path, key), message))
        result[key] = _unpaired(item, (*path, key), doc, problems)
    return result


UTF16 = (
    "fichier enregistré en UTF-16 (le « Unicode » du Bloc-notes, ou la redirection « > » de "
    "PowerShell 5) : enregistrez-le en UTF-8"
)


def _decode(raw: bytes, name: str) -> str:
    # UTF-16 marks its start (FF FE, FE FF) or puts a NUL beside each ASCII letter: read as
    # UTF-8, it was « octet 0xff invalide (et non en Windows-1252) » or « U+0000 interdit »
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:2]:
        raise InputError([Problem(name, 1, 1, "", UTF16)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"octet 0x{raw[exc.start]:02x} invalide en UTF-8 : enregistrez le fichier en UTF-8 "
            "(et non en Windows-1252 ou Latin-1)"
        )
        raise InputError([Problem(name, line, column, "", message)]) from None


def _json_data(text: str, name: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(constant)

    try:
        return json.loads(
            text,
            object_pairs_hook=JsonPairs,
            parse_constant=refuse,
            parse_int=read_int,
            parse_float=read_float,
        )
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg, exc.msg)
        message = f"JSON invalide : {reason}" + (f" ({exc.msg})" if reason != exc.msg else "")
        raise InputError([Problem(name, exc.lineno, exc.colno, "", message)]) from None
    except ValueError as exc:
        message = f"JSON invalide : {exc} n'est pas un nombre admis (un nombre fini est attendu)"
        found = re.search(rf"(?<![\w\"]){re.escape(str(exc))}(?![\w\"])", text)
        offset = found.start() if found else 0
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise InputError([Problem(name, line, column, "", message)]) from None
    except RecursionError:
        message = f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"
        raise InputError([Problem(name, 1, 1, "", message)]) from None


def _yaml_problem(exc: yaml.YAMLError, name: str, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_problem(exc, name, text)
    reason = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    if getattr(exc, "context", None) == _UNCLOSED_QUOTE and exc.context_mark:  # type: ignore[attr-defined]
        mark = exc.context_mark  # type: ignore[attr-defined]
        quote = text.splitlines()[mark.line][mark.column : mark.column + 1] if text else '"'
        message = (
            f"syntaxe YAML invalide : guillemet {quote} ouvert ici et jamais refermé "
            f"(fin de fichier atteinte ligne {exc.problem_mark.line + 1})"  # type: ignore[attr-defined]
        )
        return Problem(name, mark.line + 1, mark.column + 1, "", message)
    opened = _quote_closed_on(text, mark.line) if mark is not None else None
    if opened is not None:
        message = (
            f"syntaxe YAML invalide : le guillemet {text[opened.index]} ouvert ici n'est refermé "
            f"que ligne {mark.line + 1} (guillemet oublié ?)"  # type: ignore[union-attr]
        )
        return Problem(name, opened.line + 1, opened.column + 1, "", message)
    if reason == "could not find expected ':'" or mark is None:
        mark = getattr(exc, "context_mark", None) or mark  # the key that lacks its colon
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    if reason == "exceeded maximum nesting depth":  # libyaml ≥ 0.2.6 stops at 1000 levels
        return Problem(
            name, line, column, "", f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"
        )
    said = _YAML_REASONS.get(reason)
    message = (
        f"syntaxe YAML invalide : {said} ({reason})"
        if said
        else f"syntaxe YAML invalide : {reason}"
    )
    return Problem(name, line, column, "", message)


def _quote_closed_on(text: str, line: int) -> yaml.Mark | None:
    """Where a quoted text opens, when it spans several lines and ends on the faulty `line`:
    a quote left open there swallows the next lines up to the next quote of the file."""
    last = None
    try:
        for token in yaml.scan(text, Loader=Loader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                last = token
    except yaml.YAMLError:
        pass
    spans = last is not None and last.start_mark.line < last.end_mark.line == line
    return last.start_mark if spans else None  # type: ignore[union-attr]


def _reader_problem(exc: yaml.reader.ReaderError, name: str, text: str) -> Problem:
    """A character that YAML refuses anywhere in a file (a raw control character)."""
    offset = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))  # bytes → chars
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    message = (
        f"caractère de contrôle invisible U+{ord(char[:1] or ' '):04X} interdit : supprimez-le"
    )
    return Problem(name, line, column, "", message)
