"""One-off: move every `messages({...})` table of counter_tui/ and db/ into the gettext catalogues.

Until the catalogues existed, each module registered its texts with
`messages({"key": ("Vietnamese", "English"), ...})`. This script, run from the root of a checkout
in its virtualenv (Babel comes with the test extra):

    .venv/bin/python -m tests.tools.convert_messages [--dry-run] [--keep-blocks] [--drop-unused]

1. finds every `messages({...})` statement with `ast` (any layout: one line or many, comments,
   implicitly joined strings), and refuses to go on, changing nothing, when a table is not a
   literal `{str: (str, str)}` or two tables give one key different texts;
2. merges the entries into counter_tui/locale/{vi,en}/LC_MESSAGES/counter_tui.po: a new key is
   added (comments inside the table go along as `#.` comments), a key already there with the
   same text is left alone, one with another text takes the table's text (the table is the
   newer edit) and is listed, and a plural entry in the catalogue is never replaced by a table's
   singular text (listed too);
3. with --drop-unused, removes catalogue entries that nothing in the source uses any more
   (the rules are in tests/tools/catalogue.py), listing each with its texts;
4. writes the .po files sorted by key and compiles the .mo files;
5. unless --keep-blocks, deletes each statement's exact lines, the blank lines left doubled,
   and `messages` from the module's i18n import (the whole import when nothing else is left).

It prints every step. Running it again finds nothing to move and changes nothing. It may be
deleted once no branch still writes `messages({...})`.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog

from tests.tools import catalogue as cat
from tests.tools.catalogue import Block

I18N_MODULE = "counter_tui.core.i18n"


def collect(blocks: list[Block], root: Path) -> tuple[dict[str, tuple[str, str]],
                                                      dict[str, list[str]], list[str]]:
    """Every entry of every table, their comments, and what stops the conversion."""
    table: dict[str, tuple[str, str]] = {}
    comments: dict[str, list[str]] = {}
    origin: dict[str, str] = {}
    errors = []
    for block in blocks:
        where = f"{block.path.relative_to(root)}:{block.first_line}"
        if block.table is None:
            errors.append(f"{where}: {block.refusal}; move it by hand")
            continue
        for key, pair in block.table.items():
            if key in table and table[key] != pair:
                errors.append(f"{key!r} has different texts in {origin[key]} and {where}")
                continue
            table.setdefault(key, pair)
            origin.setdefault(key, where)
            for comment in block.comments.get(key, []):
                if comment not in comments.setdefault(key, []):
                    comments[key].append(comment)
    return table, comments, errors


def merge(catalogue: Catalog, lang: str, table: dict[str, tuple[str, str]],
          comments: dict[str, list[str]]) -> dict[str, list[str]]:
    index = cat.LANGUAGES.index(lang)
    report: dict[str, list[str]] = {"added": [], "same": [], "changed": [], "kept plural": []}
    for key, pair in sorted(table.items()):
        text = pair[index]
        message = catalogue.get(key)
        if message is None:
            catalogue.add(key, text, auto_comments=comments.get(key, []))
            report["added"].append(key)
        elif isinstance(message.id, tuple):
            report["kept plural"].append(f"{key} (the table said {text!r})")
        elif message.string == text:
            report["same"].append(key)
        else:
            report["changed"].append(f"{key}: {message.string!r} -> {text!r}")
            message.string = text
    return report


def _import_edits(lines: list[str], tree: ast.Module) -> list[tuple[int, int, list[str]]]:
    """(first, last, replacement) line spans (0-based) that stop the module importing
    `messages` once nothing in it calls it; an empty replacement deletes the import."""
    if any(isinstance(n, ast.Name) and n.id == "messages" for n in ast.walk(tree)):
        return []
    edits = []
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.module == I18N_MODULE
                and any(a.name == "messages" for a in node.names)):
            continue
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        kept = [a.name if a.asname is None else f"{a.name} as {a.asname}"
                for a in node.names if a.name != "messages"]
        edits.append((first, last, [f"from {I18N_MODULE} import {', '.join(kept)}\n"]
                      if kept else []))
    return edits


def _is_blank(line: str) -> bool:
    return not line.strip()


def _cut(lines: list[str], first: int, last: int, replacement: list[str]) -> list[str]:
    """Replace lines[first..last] (0-based, inclusive); when nothing replaces them, the blank
    lines on both sides of the cut become as many as the longer side had (a cut never leaves
    three blank lines where there were two, nor joins two paragraphs)."""
    before, after = lines[:first], lines[last + 1:]
    if replacement:
        return before + replacement + after
    blank_before = len(before) - len([*_rstrip_blank(before)])
    blank_after = len(after) - len([*_lstrip_blank(after)])
    kept = max(blank_before, blank_after)
    core_before = before[: len(before) - blank_before]
    core_after = after[blank_after:]
    if not core_after:
        kept = 0  # nothing follows: no trailing blank lines
    return core_before + ["\n"] * kept + core_after


def _rstrip_blank(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and _is_blank(lines[end - 1]):
        end -= 1
    return lines[:end]


def _lstrip_blank(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and _is_blank(lines[start]):
        start += 1
    return lines[start:]


def remove_blocks(path: Path, blocks: list[Block]) -> str:
    """The module's source without its tables and without the import they needed."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for block in sorted(blocks, key=lambda b: b.first_line, reverse=True):
        lines = _cut(lines, block.first_line - 1, block.last_line - 1, [])
    tree = ast.parse("".join(lines), filename=str(path))
    for first, last, replacement in sorted(_import_edits(lines, tree), reverse=True):
        lines = _cut(lines, first, last, replacement)
    source = "".join(lines)
    ast.parse(source, filename=str(path))  # never write a module Python cannot read
    return source


def run(root: Path, *, dry_run: bool, keep_blocks: bool, drop_unused: bool) -> int:
    blocks = cat.pending_blocks(root)
    by_file: dict[Path, list[Block]] = {}
    for block in blocks:
        by_file.setdefault(block.path, []).append(block)
    for path, found in by_file.items():
        count = sum(len(b.table or {}) for b in found)
        spans = ", ".join(f"lines {b.first_line}-{b.last_line}" for b in found)
        print(f"found {path.relative_to(root)}: {len(found)} table(s), {count} entries ({spans})")
    table, comments, errors = collect(blocks, root)
    if errors:
        for error in errors:
            print(f"ERROR {error}", file=sys.stderr)
        print("nothing changed: fix the above and run again", file=sys.stderr)
        return 1
    if not blocks:
        print("no messages({...}) tables left to move")

    catalogues = {lang: cat.read(lang, root) for lang in cat.LANGUAGES}
    for lang, catalogue in catalogues.items():
        report = merge(catalogue, lang, table, comments)
        print(f"[{lang}] {len(report['added'])} added, {len(report['same'])} already there, "
              f"{len(report['changed'])} changed, {len(report['kept plural'])} kept as plural")
        for what in ("changed", "kept plural"):
            for line in report[what]:
                print(f"[{lang}]   {what}: {line}")
    if dry_run:
        print("dry run: nothing written")
        return 0

    for lang, catalogue in catalogues.items():
        changed = cat.write(lang, catalogue, root)
        print(f"[{lang}] {'wrote' if changed else 'unchanged:'} "
              f"{cat.po_path(lang, root).relative_to(root)} and its .mo")
    if not keep_blocks:
        for path, found in by_file.items():
            path.write_text(remove_blocks(path, found), encoding="utf-8")
            print(f"removed {len(found)} table(s) from {path.relative_to(root)}")
    if drop_unused:
        for lang, key, texts in cat.drop_unused(root):
            print(f"[{lang}] dropped {key} (nothing uses it): {texts!r}")
    left = cat.pending_blocks(root)
    if not keep_blocks and left:
        print(f"ERROR {len(left)} table(s) still there", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.tools.convert_messages",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=cat.ROOT,
                        help="the checkout to convert (default: the one this script is in)")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would change, write nothing")
    parser.add_argument("--keep-blocks", action="store_true",
                        help="fill the catalogues but leave the modules as they are")
    parser.add_argument("--drop-unused", action="store_true",
                        help="also remove catalogue entries nothing in the source uses")
    args = parser.parse_args(argv)
    return run(args.root.resolve(), dry_run=args.dry_run, keep_blocks=args.keep_blocks,
               drop_unused=args.drop_unused)


if __name__ == "__main__":
    sys.exit(main())
