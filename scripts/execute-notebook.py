"""Executes a Jupyter notebook headless and reports what each cell put out, as JSON on stdout.

Used by tests/notebooks.test.ts (with Debian's python3-nbclient) and by hand to refresh the
outputs stored in examples/ and the page the README's screenshot is taken of:

    /usr/bin/python3 scripts/execute-notebook.py examples/x.ipynb [--write] [--html page.html]

The kernel is found through JUPYTER_PATH, which the test points at a kernelspec of its own.
"""

import argparse
import html
import json
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--write", action="store_true", help="store the outputs in the notebook")
    parser.add_argument("--html", help="write the executed notebook as a plain HTML page")
    parser.add_argument("--timeout", type=int, default=180)
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    error = None
    try:
        # a loaded machine delivers a cell's output late: wait for it rather than give it to the next cell
        NotebookClient(nb, timeout=args.timeout, iopub_timeout=60, kernel_name=nb.metadata.kernelspec.name).execute()
    except CellExecutionError as e:
        error = str(e).splitlines()[0] if str(e) else "a cell failed"
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for o in cell.get("outputs", []):
            if o.output_type in ("execute_result", "display_data"):
                outputs.append({"type": o.output_type, "mime": sorted(o.data.keys()), "data": dict(o.data)})
            elif o.output_type == "stream":
                outputs.append({"type": "stream", "name": o.name, "text": o.text})
            elif o.output_type == "error":
                outputs.append({"type": "error", "ename": o.ename, "evalue": o.evalue})
        cells.append({"source": cell.source, "outputs": outputs})
    if args.write:
        nbformat.write(nb, args.notebook)
    if args.html:
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(page(nb))
    json.dump({"error": error, "cells": cells}, sys.stdout)
    return 0


def page(nb) -> str:
    """The notebook as one page: Markdown cells as text, code in <pre>, rich outputs as they are."""
    parts = [
        "<!doctype html><meta charset=utf-8><title>notebook</title>",
        "<body style='font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px'>",
    ]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(markdown(cell.source))
            continue
        if cell.cell_type != "code":
            continue
        parts.append(
            "<pre style='background:#f4f4f6;border-left:3px solid #88a;padding:8px 12px;overflow:auto'>"
            f"{html.escape(cell.source)}</pre>"
        )
        for o in cell.get("outputs", []):
            if o.output_type in ("execute_result", "display_data"):
                if "text/html" in o.data:
                    parts.append(f"<div style='margin:8px 0 16px'>{o.data['text/html']}</div>")
                elif "image/svg+xml" in o.data:
                    parts.append(f"<div>{o.data['image/svg+xml']}</div>")
                elif "text/plain" in o.data:
                    parts.append(f"<pre>{html.escape(o.data['text/plain'])}</pre>")
            elif o.output_type == "stream":
                parts.append(f"<pre style='color:#555'>{html.escape(o.text)}</pre>")
            elif o.output_type == "error":
                parts.append(f"<pre style='color:#b00'>{html.escape(o.ename)}: {html.escape(o.evalue)}</pre>")
    parts.append("</body>")
    return "\n".join(parts)


def markdown(source: str) -> str:
    """The little Markdown the examples use: headings, paragraphs and `code`."""
    out = []
    for block in source.split("\n\n"):
        text = html.escape(block.strip())
        text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
        heading = re.match(r"^(#{1,3}) (.*)$", text, re.S)
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
        else:
            out.append(f"<p>{text}</p>")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
