#!/usr/bin/env python3
"""The import graph of the application crate (app/src), read from its `crate::` and `super::`
paths: which files import which, and which rooms (top-level modules) import which.

    python3 scripts/rooms.py            # fails (exit 1) when files or rooms import each other
                                        # in a circle, or the README's room graph is out of date
    python3 scripts/rooms.py --readme   # writes the room graph into the README

A file is a module (`a/b.rs` or `a/b/mod.rs` is `crate::a::b`); a path names the deepest module
that exists, so `crate::a::b::Thing` is an edge to `a/b.rs`. A room is the first segment.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "app" / "src"


def module_of(path: Path) -> tuple:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    return re.sub(r"//[^\n]*", "", text)


def expand(tree: str) -> list:
    """`a::{b, c::{d, e}}` as ['a::b', 'a::c::d', 'a::c::e']."""
    tree = tree.strip()
    brace = tree.find("{")
    if brace < 0:
        return [tree] if tree else []
    head = tree[:brace].rstrip(":").strip()
    inner = tree[brace + 1 : tree.rfind("}")]
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    items.append(cur)
    out = []
    for item in items:
        for tail in expand(item):
            tail = re.sub(r"\s+as\s+\w+$", "", tail.strip())
            if tail == "self":
                out.append(head)
            elif tail:
                out.append(f"{head}::{tail}" if head else tail)
    return out


def paths_in(text: str) -> list:
    text = strip_comments(text)
    found = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        found += expand(m.group(1))
    for m in re.finditer(r"(?<![\w:])((?:crate|super)(?:::\w+)+)", text):
        found.append(m.group(1))
    return found


def resolve(path: str, here: tuple, modules: dict):
    parts = path.split("::")
    if parts[0] == "crate":
        base, parts = (), parts[1:]
    elif parts[0] in ("super", "self"):
        base = here
        while parts and parts[0] in ("super", "self"):
            if parts[0] == "super":
                base = base[:-1]
            parts = parts[1:]
    else:
        return None
    full = list(base) + parts
    for n in range(len(full), 0, -1):
        if tuple(full[:n]) in modules:
            return tuple(full[:n])
    return None


def graph():
    modules = {}
    for f in SRC.rglob("*.rs"):
        modules[module_of(f)] = f
    edges = {}
    for mod, f in modules.items():
        targets = set()
        for p in paths_in(f.read_text()):
            t = resolve(p, mod, modules)
            if t is not None and t != mod and t != ():
                # `mod.rs` files that only declare children are not edges to follow.
                targets.add(t)
        edges[mod] = targets
    return modules, edges


def circles(nodes, edges):
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return out


def name(mod) -> str:
    return "/".join(mod) or "lib"


def main():
    modules, edges = graph()
    # A module's own mod.rs declaring its children is containment, not an import.
    file_edges = {
        m: {t for t in ts if not (modules[m].name == "mod.rs" and t[: len(m)] == m)}
        for m, ts in edges.items()
    }
    file_circles = circles(list(modules), file_edges)
    rooms = {}
    for m, ts in file_edges.items():
        if not m:
            continue
        for t in ts:
            if t and t[0] != m[0]:
                rooms.setdefault(m[0], set()).add(t[0])
    room_names = sorted({m[0] for m in modules if m})
    room_circles = circles(room_names, rooms)
    mutual = sorted(
        {tuple(sorted((a, b))) for a, ts in rooms.items() for b in ts if a in rooms.get(b, ())}
    )
    block = room_block(room_names, rooms, mutual)
    readme = ROOT / "README.md"
    text = readme.read_text()
    begin, end = "<!-- rooms:begin -->\n", "<!-- rooms:end -->"
    if begin not in text or end not in text:
        print("README.md has no room graph markers")
        return 1
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    fresh = head + begin + block + end + tail
    if "--readme" in sys.argv:
        readme.write_text(fresh)
    stale = fresh != text
    print(f"files: {len(modules)}, file circles: {len(file_circles)}")
    for c in file_circles:
        print("  circle: " + ", ".join(name(m) for m in c))
        for a in c:
            for b in sorted(file_edges[a] & set(c)):
                print(f"    {name(a)} -> {name(b)}")
    print(f"rooms: {len(room_names)}, room circles: {len(room_circles)}, mutual pairs: {len(mutual)}")
    for c in room_circles:
        print("  room circle: " + ", ".join(c))
    for a, b in mutual:
        print(f"  mutual: {a} <-> {b}")
    if stale:
        print("README.md's room graph is out of date: run python3 scripts/rooms.py --readme")
    failed = bool(file_circles) or bool(room_circles) or stale
    return 1 if failed else 0


def room_block(room_names, rooms, mutual) -> str:
    """The room graph as text, in layers: a room imports only rooms of lower layers (layer 0
    imports no room); a pair that imports each other is marked."""
    pairs = {a: set() for a in room_names}
    for a, b in mutual:
        pairs[a].add(b)
        pairs[b].add(a)
    layer = {}

    def depth(r, path=()):
        if r in layer:
            return layer[r]
        if r in path:  # a circle: no layer is true; the check fails on it anyway
            return 0
        layer[r] = 1 + max((depth(t, path + (r,)) for t in rooms.get(r, ())), default=-1)
        return layer[r]

    for r in room_names:
        depth(r)
    width = max(len(r) for r in room_names)
    lines = ["```text", "layer  room" + " " * (width - 2) + "imports (<-> : imports it back)"]
    for r in sorted(room_names, key=lambda r: (-layer[r], r)):
        targets = [t + (" <->" if t in pairs[r] else "") for t in sorted(rooms.get(r, ()))]
        lines.append(f"{layer[r]:>5}  {r:<{width}}  {', '.join(targets) if targets else '-'}")
    lines.append("```")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
