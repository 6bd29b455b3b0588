#!/usr/bin/env python3
"""An adversarial sweep of guidepress, as a careless editor and an attacker would try it.

Each case copies the sample publication into a temporary folder, breaks one thing, runs the
real binary (`check`, `build` or `new`) with a 30 s limit, and records: the exit status, a
panic, a hang, whether an error names a file and line, and whether anything outside the output
folder changed. Everything happens in temporary folders and ends by itself.

  python3 benches/adversarial_sweep.py [--binary target/release/guidepress]
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATEMENT = "statements/qs-01-working-together.md"
REC = "recommendations/rec-02-prioritising-needs.md"


def snapshot(root):
    """Every file under root (links not followed) with a hash of its bytes."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                found[rel] = "link:" + os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    found[rel] = hashlib.sha256(handle.read()).hexdigest()
            elif os.path.isdir(path):
                found[rel] = "dir"
    return found


def sub(file, old, new, count=1):
    def apply(root):
        path = os.path.join(root, "content", file)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        assert old in text, (file, old)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text.replace(old, new, count))
    return apply


def write(file, data):
    def apply(root):
        path = os.path.join(root, "content", file)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def encode(file, codec, bom=b""):
    def apply(root):
        path = os.path.join(root, "content", file)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        with open(path, "wb") as handle:
            handle.write(bom + text.encode(codec, errors="replace"))
    return apply


def link(name, target):
    def apply(root):
        os.symlink(target if target.startswith("/") else os.path.join(root, target), os.path.join(root, "content", name))
    return apply


def many(count):
    def apply(root):
        for i in range(count):
            open(os.path.join(root, "content", "statements", f"empty-{i}.md"), "w").close()
    return apply


def cases():
    """(class, name, prepare, command, expected exit status)."""
    c = []
    check = ["check"]
    yaml_breaks = [
        ("tab indent", "site.yaml", "title:", "\ttitle:"),
        ("unclosed quote", STATEMENT, "title: ", 'title: "unclosed '),
        ("unclosed list", REC, "cites:", "cites: [a, b\nx:"),
        ("duplicate key", "site.yaml", "title:", "title: A\ntitle:"),
        ("over-indented item", STATEMENT, "cites:\n", "cites:\n      - x\n  "),
        ("list for scalar", "site.yaml", "version:", "version: [1, 2]\nold_version:"),
        ("mapping for scalar", STATEMENT, "title: ", "title: {a: 1}\nold_title: "),
        ("number for text", STATEMENT, "title: ", "title: 12\nold_title: "),
        ("alias bomb", "site.yaml", "title:", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ntitle:"),
        ("deep nesting", "site.yaml", "title:", "deep: " + "[" * 5000 + "\ntitle:"),
        ("unknown field", STATEMENT, "title: ", "titel: x\ntitle: "),
        ("misspelt field in register", "register.yaml", "    title:", "    titel: x\n    title:"),
        ("misspelt field in glossary", "glossary.yaml", "    term:", "    trem: x\n    term:"),
        ("empty title", STATEMENT, "title: ", 'title: ""\nold_title: '),
        ("bad date", "site.yaml", "date:", "date: 2012-02-30\nold_date:"),
        ("bad date 2", "site.yaml", "date:", "date: 2011-02-29\nold_date:"),
        ("bad date 3", "site.yaml", "date:", "date: 31/01/2012\nold_date:"),
        ("bad id", STATEMENT, "id: ", "id: Bad Id!\nold_id: "),
        ("dangling citation", STATEMENT, "cites:\n", "cites:\n  - childrens-act-1989 s22\n"),
        ("dangling related", STATEMENT, "related:", "related: [qs-99]\nold_related:"),
        ("self related", STATEMENT, "related:", "related: [qs-1]\nold_related:"),
        ("four-dash closing fence", STATEMENT, "\n---\n", "\n----\n"),
        ("four-dash fence", STATEMENT, "---\n", "----\n"),
        ("print_paper misspelt", "site.yaml", "title:", "print_paper: {pockt: a5}\ntitle:"),
        ("superseded_by itself", "register.yaml", "    status: in-force", "    status: superseded\n    superseded_by: children-act-1989", 1),
        ("zero-width space in citation", STATEMENT, "cites:\n  - ", "cites:\n  - \u200b"),
    ]
    for case in yaml_breaks:
        name, file, old, new = case[:4]
        c.append(("yaml and values", name, [sub(file, old, new)], check, 1))
    for codec, bom, name in [("utf-16-le", b"\xff\xfe", "UTF-16 LE with BOM"), ("utf-16-be", b"\xfe\xff", "UTF-16 BE with BOM"),
                             ("utf-16-le", b"", "UTF-16 LE without BOM"), ("latin-1", b"", "Latin-1")]:
        for file in [STATEMENT, "site.yaml", "register.yaml", "glossary.yaml"]:
            if codec == "latin-1":
                prepare = [sub(file, ":", ": caf\u00e9 ", 1), encode(file, codec, bom)]
            else:
                prepare = [encode(file, codec, bom)]
            c.append(("encodings", f"{name}: {file}", prepare, check, 1))
    for char, name in [("\x00", "NUL"), ("\x07", "bell"), ("\x1b", "escape"), ("\ufffe", "U+FFFE")]:
        c.append(("encodings", f"{name} in a body", [sub(STATEMENT, "\n---\n", "\n---\nA " + char + " here.\n")], check, 1))
    c.append(("encodings", "BOM and CRLF (valid)", [lambda r: _crlf(r, STATEMENT)], check, 0))
    c.append(("encodings", "invalid UTF-8 byte", [write("statements/qs-13.md", b"---\nid: qs-13\n\xff\n---\n")], check, 1))
    c.append(("encodings", "empty statement file", [write("statements/qs-13.md", b"")], check, 1))
    files = [
        ("wrong extension .MD", "statements/qs-13.MD"), ("wrong extension .markdown", "statements/qs-13.markdown"),
        ("wrong extension .md.txt", "statements/qs-13.md.txt"), ("folder statement/", "statement/qs-13.md"),
        ("stray yaml", "registers.yaml"),
    ]
    for name, rel in files:
        c.append(("silent skips", name, [write(rel, "---\nid: qs-13\n---\n")], check, 0))
    c.append(("file system", "link to /proc", [link("statements/proc", "/proc")], check, 1))
    c.append(("file system", "link to /", [link("statements/root", "/")], check, 1))
    c.append(("file system", "link loop", [link("statements/a.md", "content/statements/b.md"), link("statements/b.md", "content/statements/a.md")], check, 1))
    c.append(("file system", "broken link", [link("statements/gone.md", "content/statements/nothing.md")], check, 1))
    c.append(("file system", "link to parent", [link("statements/up", "content")], check, 1))
    c.append(("file system", "FIFO", [lambda r: os.mkfifo(os.path.join(r, "content", "statements", "pipe.md"))], check, 1))
    c.append(("file system", "folder named like a file", [lambda r: os.makedirs(os.path.join(r, "content", "statements", "qs-13.md"))], check, 1))
    c.append(("file system", "9 MB statement", [write("statements/qs-13.md", "---\nid: qs-13\n---\n" + "x" * (9 << 20))], check, 1))
    c.append(("file system", "2,000 empty statements", [many(2000)], check, 1))
    outputs = [
        ("nothere/../content", 2), ("a/b/../../content", 2), ("content/site", 2), ("content/.", 2), (".", 2), ("/", 2),
        ("nothere/../precious", 2), ("site.html", 2), ("dangling", 2), ("link-to-content", 2), ("out/.", 0), ("themes/../nothere/../content", 2),
    ]
    for spelling, status in outputs:
        c.append(("output paths", spelling, [], ["build", "--output", spelling], status))
        c.append(("output paths", spelling + " --force", [], ["build", "--force", "--output", spelling], 0 if spelling in ("out/.", "nothere/../precious") else status))
    for kind in ["term", "citation"]:
        file = "glossary.yaml" if kind == "term" else "register.yaml"
        for codec, bom, name in [("utf-16-le", b"\xff\xfe", "UTF-16"), ("utf-16-be", b"\xfe\xff", "UTF-16 BE"), ("latin-1", b"", "Latin-1")]:
            prepare = [sub(file, ":", ": caf\u00e9 ", 1), encode(file, codec, bom)] if codec == "latin-1" else [encode(file, codec, bom)]
            c.append(("new", f"new {kind} on {name} {file}", prepare, ["new", kind, "--title", "Respite care"], 1))
        key = "terms:" if kind == "term" else "instruments:"
        c.append(("new", f"new {kind} on broken {file}", [sub(file, key, key + " [unclosed", 1)], ["new", kind, "--title", "Respite care"], 1))
    for title in ["", "  ", "!!", "- -"]:
        c.append(("new", f"new statement --title {title!r}", [], ["new", "statement", f"--title={title}"], 1))
    svgs = {
        "namespace script": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>',
        "xhtml script": '<svg xmlns="http://www.w3.org/2000/svg"><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
        "entity split": '<!DOCTYPE svg [<!ENTITY a "java"><!ENTITY b "script:alert(1)">]><svg xmlns="http://www.w3.org/2000/svg"><a href="&a;&b;"><text>x</text></a></svg>',
        "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "set href": '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
        "foreignObject": '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject></svg>',
        "style url": '<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:url(javascript:alert(1))}</style></svg>',
        "data href": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><use x:href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/></svg>',
    }
    for name, svg in svgs.items():
        c.append(("hostile pictures", name, [write("pictures/evil.svg", svg), sub(STATEMENT, "picture: ", "picture: evil\n    old_picture: ", 1)], check, 1))
    utf16 = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'.encode("utf-16")
    c.append(("hostile pictures", "UTF-16 script", [write("pictures/evil.svg", utf16), sub(STATEMENT, "picture: ", "picture: evil\n    old_picture: ", 1)], check, 1))
    raw = ['<a href="javascript:alert(1)">x</a>', '<iframe src="javascript:alert(1)"></iframe>', '<form action="javascript:alert(1)"><button>x</button></form>',
           '<a href="&#106;avascript:alert(1)">x</a>', '<a href="JaVa\tScRiPt:alert(1)">x</a>', '<img src=x onerror=alert(1)>']
    for i, html in enumerate(raw):
        c.append(("raw HTML", html[:40], [sub("site.yaml", "title:", "allow_raw_html: true\ntitle:"), sub(STATEMENT, "\n---\n", f"\n---\n{html}\n")], ["build", "--output", "out"], 0))
    return c


def _crlf(root, file):
    path = os.path.join(root, "content", file)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


LOCATION = re.compile(r"(\S+\.(md|yaml|svg|MD|markdown|txt)):(\d+)(:\d+)?")


def run(binary, case):
    klass, name, prepare, command, expected = case
    with tempfile.TemporaryDirectory() as root:
        shutil.copytree(os.path.join(REPO, "content"), os.path.join(root, "content"))
        shutil.copytree(os.path.join(REPO, "themes"), os.path.join(root, "themes"))
        os.makedirs(os.path.join(root, "precious"))
        with open(os.path.join(root, "precious", "notes.txt"), "w") as handle:
            handle.write("keep me")
        os.symlink(os.path.join(root, "gone"), os.path.join(root, "dangling"))
        os.symlink(os.path.join(root, "content"), os.path.join(root, "link-to-content"))
        with open(os.path.join(root, "site.html"), "w") as handle:
            handle.write("a page")
        for step in prepare:
            step(root)
        # The output folder itself may change; a forced build may replace the folder it names.
        replaced = ("out",) + (("precious",) if "--force" in command and "precious" in " ".join(command) else ())
        before = {k: v for k, v in snapshot(root).items() if not k.startswith(replaced)}
        full = [binary] + command[:1] + ["--content", "content"] + (["--theme", "themes/default"] if command[0] != "new" else []) + command[1:]
        try:
            done = subprocess.run(full, cwd=root, capture_output=True, timeout=30)
            status, err, hung = done.returncode, done.stderr.decode("utf-8", "replace"), False
        except subprocess.TimeoutExpired:
            status, err, hung = None, "", True
        after = {k: v for k, v in snapshot(root).items() if not k.startswith(replaced)}
        lost = sorted(set(before) ^ set(after) | {k for k in before if k in after and before[k] != after[k]})
        return {
            "class": klass, "name": name, "expected": expected, "status": status, "hung": hung,
            "panic": status == 101 or "panicked" in err, "located": bool(LOCATION.search(err)) or "= in " in err,
            "line": bool(LOCATION.search(err)), "errors": "error" in err, "lost": lost, "stderr": err,
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "guidepress"))
    args = parser.parse_args()
    results = [run(os.path.abspath(args.binary), case) for case in cases()]
    by_class = {}
    for r in results:
        by_class.setdefault(r["class"], []).append(r)
    print(f"{'class':<18} {'cases':>5} {'as expected':>11} {'file named':>10} {'file+line':>9} {'panics':>6} {'hangs':>5} {'data lost':>9}")
    for klass, rs in by_class.items():
        content_errors = [r for r in rs if r["status"] == 1]
        print(f"{klass:<18} {len(rs):>5} {sum(r['status'] == r['expected'] for r in rs):>11} {sum(r['located'] for r in content_errors):>10} "
              f"{sum(r['line'] for r in content_errors):>9} {sum(r['panic'] for r in rs):>6} {sum(r['hung'] for r in rs):>5} {sum(bool(r['lost']) for r in rs):>9}")
    content_errors = [r for r in results if r["status"] == 1]
    print(f"{'all':<18} {len(results):>5} {sum(r['status'] == r['expected'] for r in results):>11} {sum(r['located'] for r in content_errors):>10} "
          f"{sum(r['line'] for r in content_errors):>9} {sum(r['panic'] for r in results):>6} {sum(r['hung'] for r in results):>5} {sum(bool(r['lost']) for r in results):>9}")
    print(f"({len(content_errors)} cases ended in content errors (exit 1); 'file named' and 'file+line' count those)")
    # `new` with a bad title is a usage problem, not a place in a file.
    odd = [r for r in results if r["status"] != r["expected"] or r["panic"] or r["hung"] or r["lost"] or (r["status"] == 1 and not r["located"] and "empty-title" not in r["stderr"])]
    for r in odd:
        first = " | ".join(r["stderr"].strip().splitlines()[:3])
        print(f"UNEXPECTED {r['class']}: {r['name']}: exit {r['status']} (expected {r['expected']}), lost {r['lost'][:3]}: {first[:300]}")
    return 1 if any(r["panic"] or r["hung"] or r["lost"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
