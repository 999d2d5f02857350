"""The message catalogues, for developers: check them, compile them, keep them in step with code.

    python -m tests.tools.catalogue check      # every problem below, exit 1 if any
    python -m tests.tools.catalogue compile    # .po -> .mo (run after editing a .po)
    python -m tests.tools.catalogue extract [-o FILE]   # a .pot of the keys the code names,
                                                        # with where it names them
    python -m tests.tools.catalogue update     # add used keys missing from a .po (empty, to
                                               # translate), drop entries nothing uses, compile

The catalogues are `counter_tui/locale/<lang>/LC_MESSAGES/counter_tui.po`, one per language, the
message KEY as msgid (`counter.key.issue`) and its text as msgstr; they are written sorted by
key, without source locations, so two people adding messages in different places merge cleanly.
The `.mo` files beside them are what the app reads (with the standard library's gettext); Babel
reads and writes the catalogues here and is a development dependency only.

What counts as a use of a key (the tests in tests/test_i18n.py and `check` agree on it):
  - `t("key")`, `tn("key", n)`, `UserError("key", ...)`, and a Textual `Binding`'s description
    and `tooltip`, which are message keys translated when shown: these must exist;
  - an f-string with a static start, `t(f"report.col.{c}")`: some `report.col.*` must exist,
    and it makes every `report.col.*` entry used;
  - any other string literal equal to a key (a key kept in a table and passed to `t` later),
    or naming a family of keys (`key="validation.count"` then `f"{key}.invalid"`).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import functools
import gettext
import io
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from counter_tui.core.i18n import DOMAIN, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("counter_tui", "db")
PLACEHOLDER = re.compile(r"{(\w*)[^{}]*}")


def _error_classes() -> frozenset[str]:
    """UserError and every class derived from it in the source: each takes a key first."""
    bases: dict[str, set[str]] = {}
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases.setdefault(node.name, set()).update(
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases)
    found = {"UserError"}
    while grown := {n for n, b in bases.items() if n not in found and b & found}:
        found |= grown
    return frozenset(found)


KEY_CALLS = {"t", "tn", *_error_classes()}
LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English"}
HEADER_COMMENT = (
    "# counter-tui: the {name} messages.\n"
    "# The msgid is the key the code says; edit only the msgstr, keep each\n"
    "# {{field}}, then run `python -m tests.tools.catalogue compile`.")

Text = str | tuple[str, ...]  # a singular text, or the plural forms


# --- files ------------------------------------------------------------------------------------


def locale_dir(root: Path = ROOT) -> Path:
    return root / "counter_tui" / "locale"


def po_path(lang: str, root: Path = ROOT) -> Path:
    return locale_dir(root) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, root: Path = ROOT) -> Path:
    return po_path(lang, root).with_suffix(".mo")


def new_catalogue(lang: str) -> Catalog:
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    return Catalog(
        locale=lang, domain=DOMAIN, project="counter-tui", version="0.1.0",
        header_comment=HEADER_COMMENT.format(name=LANGUAGE_NAMES.get(lang, lang)),
        msgid_bugs_address="the counter-tui issues", last_translator="counter-tui",
        language_team="counter-tui",
        creation_date=now, revision_date=now, fuzzy=False)


def read(lang: str, root: Path = ROOT) -> Catalog:
    path = po_path(lang, root)
    if not path.exists():
        return new_catalogue(lang)
    with path.open("rb") as fp:
        catalogue = read_po(fp, locale=lang, domain=DOMAIN, abort_invalid=True)
    catalogue.fuzzy = False
    return catalogue


def po_bytes(catalogue: Catalog, *, locations: bool = False) -> bytes:
    out = io.BytesIO()
    write_po(out, catalogue, sort_output=True, no_location=not locations, ignore_obsolete=True)
    # the Babel version that last wrote a file is no part of it: leaving it out keeps two
    # developers with different Babel versions from rewriting each other's header
    return re.sub(rb'"Generated-By: [^"]*"\n', b"", out.getvalue())


def mo_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def write(lang: str, catalogue: Catalog, root: Path = ROOT) -> bool:
    """Write the .po (sorted) and its .mo; True if either file changed."""
    changed = False
    path = po_path(lang, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    for target, data in ((path, po_bytes(catalogue)), (mo_path(lang, root), mo_bytes(catalogue))):
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
            changed = True
    return changed


def entries(catalogue: Catalog) -> dict[str, Text]:
    """key -> text (a tuple of forms for a plural entry), the header left out."""
    out: dict[str, Text] = {}
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            out[message.id[0]] = tuple(message.string)
        else:
            out[message.id] = message.string
    return out


def texts(value: Text) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def compiled(path: Path) -> dict[object, str]:
    """What gettext reads from a .mo: its messages and how it picks a plural form."""
    with path.open("rb") as fp:
        translations = gettext.GNUTranslations(fp)
    table = {k: v for k, v in translations._catalog.items() if k != ""}  # type: ignore[attr-defined]
    table["plural forms for 0..30"] = repr([translations.plural(n) for n in range(31)])
    return table


def compiled_from_po(lang: str, root: Path = ROOT) -> dict[object, str]:
    """What the .mo would hold if it were compiled from the .po now."""
    scratch = io.BytesIO(mo_bytes(read(lang, root)))
    translations = gettext.GNUTranslations(scratch)
    table = {k: v for k, v in translations._catalog.items() if k != ""}  # type: ignore[attr-defined]
    table["plural forms for 0..30"] = repr([translations.plural(n) for n in range(31)])
    return table


# --- the source ----------------------------------------------------------------------------


def source_files(root: Path = ROOT) -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        yield from sorted((root / folder).rglob("*.py"))


@functools.lru_cache(maxsize=1024)
def _parsed(path: Path, stamp: tuple[int, int]) -> tuple[str, ast.Module]:
    source = path.read_text(encoding="utf-8")
    return source, ast.parse(source, filename=str(path))


def parse(path: Path) -> tuple[str, ast.Module]:
    """The source and its tree, parsed once for as long as the file stays the same."""
    stat = path.stat()
    return _parsed(path, (stat.st_mtime_ns, stat.st_size))


# --- what the source uses ---------------------------------------------------------------------


@dataclass
class Use:
    key: str  # a key, or the static start of an f-string key ("report.col.")
    where: str  # path:line
    plural: bool = False
    family: bool = False


@dataclass
class Usage:
    required: list[Use] = field(default_factory=list)  # must exist in every catalogue
    literals: set[str] = field(default_factory=set)  # every other string constant
    prefixes: set[str] = field(default_factory=set)  # static starts of every f-string

    def uses(self, key: str) -> bool:
        if key in self.literals or any(u.key == key for u in self.required):
            return True
        parts = key.split(".")
        heads = {".".join(parts[:i]) for i in range(2, len(parts))}
        if heads & self.literals:
            return True  # a family named by a literal: key="validation.count"
        return any(key.startswith(p) for p in self.prefixes)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and (func.attr in KEY_CALLS | {"Binding"} or (
            isinstance(func.value, ast.Name) and func.value.id == "i18n")):
        return func.attr
    return None


def _key_expressions(node: ast.expr) -> Iterator[ast.expr]:
    """The expressions a key argument may evaluate to: both arms of `a if c else b`, each
    operand of `a or b`."""
    if isinstance(node, ast.IfExp):
        yield from _key_expressions(node.body)
        yield from _key_expressions(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _key_expressions(value)
    else:
        yield node


def _static_start(node: ast.JoinedStr) -> str:
    first = node.values[0] if node.values else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""


def _key_arguments(call: ast.Call, name: str) -> Iterator[tuple[ast.expr, bool]]:
    if name in KEY_CALLS and call.args:
        yield call.args[0], name == "tn"
    if name == "Binding":
        if len(call.args) >= 3:
            yield call.args[2], False
        for keyword in call.keywords:
            if keyword.arg in {"description", "tooltip"}:
                yield keyword.value, False


def scan(root: Path = ROOT) -> Usage:
    usage = Usage()
    for path in source_files(root):
        _, tree = parse(path)
        nodes = list(ast.walk(tree))
        required_nodes: set[int] = set()
        for node in nodes:
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node.func)
            if name is None:
                continue
            for argument, plural in _key_arguments(node, name):
                for expr in _key_expressions(argument):
                    where = f"{path.relative_to(root)}:{expr.lineno}"
                    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
                        if expr.value or name != "Binding":
                            usage.required.append(Use(expr.value, where, plural))
                        required_nodes.add(id(expr))
                    elif isinstance(expr, ast.JoinedStr) and "." in _static_start(expr):
                        usage.required.append(Use(_static_start(expr), where, plural, True))
        for node in nodes:
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in required_nodes:
                    usage.literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and "." in _static_start(node):
                usage.prefixes.add(_static_start(node))
    usage.required.sort(key=lambda u: (u.where.rsplit(":", 1)[0], int(u.where.rsplit(":", 1)[1])))
    return usage


# --- the checks -------------------------------------------------------------------------------


def catalogue_entries(lang: str, root: Path = ROOT) -> dict[str, Text]:
    """The entries a language has: its .po."""
    return entries(read(lang, root))


def missing_uses(usage: Usage, table: dict[str, Text]) -> list[str]:
    problems = []
    for use in usage.required:
        if use.family:
            if not any(k.startswith(use.key) for k in table):
                problems.append(f"{use.where}: no message starts with {use.key!r}")
        elif use.key not in table:
            problems.append(f"{use.where}: no message {use.key!r}")
        elif use.plural != isinstance(table[use.key], tuple):
            kind = "tn() needs a plural entry" if use.plural else "a plural entry needs tn()"
            problems.append(f"{use.where}: {use.key!r}: {kind}")
    return problems


def unused(usage: Usage, table: dict[str, Text]) -> list[str]:
    return sorted(k for k in table if not usage.uses(k))


def placeholders(text: str) -> set[str]:
    return {name for name in PLACEHOLDER.findall(text)}


def problems(root: Path = ROOT) -> list[str]:
    """Everything `check` reports, one line each."""
    usage = scan(root)
    tables = {lang: catalogue_entries(lang, root) for lang in LANGUAGES}
    found = []
    for lang, table in tables.items():
        found += [f"[{lang}] {p}" for p in missing_uses(usage, table)]
        found += [f"[{lang}] unused: {k}" for k in unused(usage, entries(read(lang, root)))]
        for key, value in sorted(table.items()):
            for text in texts(value):
                if not text.strip():
                    found.append(f"[{lang}] {key}: no text")
                if unicodedata.normalize("NFC", text) != text:
                    found.append(f"[{lang}] {key}: not NFC")
        if not mo_path(lang, root).exists():
            found.append(f"[{lang}] {mo_path(lang, root).relative_to(root)} missing: compile")
        elif compiled(mo_path(lang, root)) != compiled_from_po(lang, root):
            found.append(f"[{lang}] {mo_path(lang, root).relative_to(root)} is older than "
                         "its .po: compile")
    first, *others = LANGUAGES
    for lang in others:
        for key in sorted(tables[first].keys() ^ tables[lang].keys()):
            where = first if key in tables[first] else lang
            found.append(f"{key}: only in {where}")
        for key in sorted(tables[first].keys() & tables[lang].keys()):
            a = set().union(*map(placeholders, texts(tables[first][key])))
            b = set().union(*map(placeholders, texts(tables[lang][key])))
            if a != b:
                found.append(f"{key}: fields differ: {first} {sorted(a)}, {lang} {sorted(b)}")
    return found


# --- commands ---------------------------------------------------------------------------------


def compile_all(root: Path = ROOT) -> list[str]:
    return [lang for lang in LANGUAGES if write(lang, read(lang, root), root)]


def template(usage: Usage) -> Catalog:
    pot = Catalog(domain=DOMAIN, project="counter-tui", version="0.1.0", fuzzy=False)
    for use in usage.required:
        if use.family:
            continue
        path, line = use.where.rsplit(":", 1)
        message_id: str | tuple[str, str] = (use.key, use.key) if use.plural else use.key
        if use.key in pot:
            pot[use.key].locations.append((path, int(line)))
        else:
            pot.add(message_id, locations=[(path, int(line))])
    return pot


def drop_unused(root: Path = ROOT) -> list[tuple[str, str, Text]]:
    """Remove the entries nothing in the source uses; what was removed, per language."""
    usage = scan(root)
    dropped = []
    for lang in LANGUAGES:
        catalogue = read(lang, root)
        for key in unused(usage, entries(catalogue)):
            message = catalogue.get(key)
            dropped.append((lang, key, texts(message.string) if message else ""))
            catalogue.delete(key)
        write(lang, catalogue, root)
    return dropped


def add_missing(root: Path = ROOT) -> list[tuple[str, str]]:
    """Add every required key a catalogue lacks, untranslated (so `check` asks for its text)."""
    usage = scan(root)
    added = []
    for lang in LANGUAGES:
        catalogue = read(lang, root)
        have = catalogue_entries(lang, root)
        for use in usage.required:
            if not use.family and use.key not in have and use.key not in catalogue:
                catalogue[use.key] = Message((use.key, use.key) if use.plural else use.key,
                                             ("", "") if use.plural else "")
                added.append((lang, use.key))
        write(lang, catalogue, root)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.tools.catalogue",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "compile", "extract", "update"])
    parser.add_argument("-o", "--output", help="extract: write the .pot here (default stdout)")
    args = parser.parse_args(argv)
    if args.command == "compile":
        changed = compile_all()
        print(f"compiled: {', '.join(changed) or 'nothing changed'}")
    elif args.command == "extract":
        data = po_bytes(template(scan()), locations=True)
        if args.output:
            Path(args.output).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
    elif args.command == "update":
        for lang, key in add_missing():
            print(f"[{lang}] added {key} (to translate)")
        for lang, key, text in drop_unused():
            print(f"[{lang}] dropped {key}: {text!r}")
        compile_all()
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if args.command == "check" and not found:
        print(f"catalogues {', '.join(LANGUAGES)}: no problems")
    return 1 if found and args.command in {"check", "update"} else 0


if __name__ == "__main__":
    sys.exit(main())


def spoken(key: str) -> tuple[str, ...]:
    """The text the app shows for `key` in each language, in the order of LANGUAGES (fields
    left as `{name}`)."""
    from counter_tui.core import i18n

    before = i18n.language()
    try:
        out = []
        for lang in LANGUAGES:
            i18n.set_language(lang)
            out.append(i18n.t(key))
        return tuple(out)
    finally:
        i18n.set_language(before)
