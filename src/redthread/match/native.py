"""The matching engine compiled to C with mypyc: the same code, about 1.5 times faster.

The modules in NATIVE_MODULES (name analysis, scoring, the index) are plain, strictly
typed Python. ``redthread native build`` compiles them with mypyc (a C compiler and
mypy are needed) into a folder of the user's cache named after the SHA-256 of their
sources and the interpreter; ``redthread.match`` then imports the compiled modules
from there instead of the Python files. Nothing else changes: the same functions,
the same results (tests/match/test_native.py compares them).

The compiled modules are used only while they were built from the sources at hand: a
changed source file has another digest, so the Python files are used (and ``redthread
doctor`` says so) until ``redthread native build`` runs again. Set REDTHREAD_NATIVE=0
to use the Python files anyway, and REDTHREAD_NATIVE_DIR to keep the builds elsewhere
than ``$XDG_CACHE_HOME/redthread/native``.

This module must not import the modules it compiles.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The modules compiled, in redthread/match.
NATIVE_MODULES = ("names", "ofac_score", "index")
PACKAGE = Path(__file__).resolve().parent
MANIFEST = "manifest.json"


def _cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "redthread" / "native"


def digest() -> str:
    """What a build is made from: the compiled sources, the interpreter and machine."""
    sha = hashlib.sha256()
    sha.update(f"{sys.implementation.cache_tag} {platform.machine()}".encode())
    for module in NATIVE_MODULES:
        sha.update((PACKAGE / f"{module}.py").read_bytes())
    return sha.hexdigest()


def build_dir() -> Path:
    """Where the build for the sources at hand is (or goes)."""
    base = os.environ.get("REDTHREAD_NATIVE_DIR")
    root = Path(base) if base else _cache_home()
    return root / f"{sys.implementation.cache_tag}-{digest()[:16]}"


def disabled() -> bool:
    return os.environ.get("REDTHREAD_NATIVE", "").strip().lower() in ("0", "no", "false", "off")


def enable(package_path: list[str]) -> bool:
    """Put the compiled modules first on ``redthread.match``'s path, when a build for the
    sources at hand exists and REDTHREAD_NATIVE is not 0. Never fails: without a
    usable build, the Python files are used."""
    if disabled():
        return False
    try:
        folder = build_dir()
        if not (folder / MANIFEST).is_file():
            return False
    except OSError:
        return False
    entry = str(folder / "redthread" / "match")
    package_path.insert(0, entry)
    if str(folder) not in sys.path:
        sys.path.append(str(folder))  # mypyc's shared library for the compiled modules
    try:
        for module in NATIVE_MODULES:
            importlib.import_module(f"redthread.match.{module}")
    except Exception:  # a damaged build (a file removed, another machine's): the Python files
        package_path.remove(entry)
        for module in NATIVE_MODULES:
            sys.modules.pop(f"redthread.match.{module}", None)
        return False
    return True


def in_use() -> bool:
    """Whether the matching modules imported are the compiled ones."""
    from redthread.match import index, names, ofac_score

    return all(not str(m.__file__).endswith(".py") for m in (names, ofac_score, index))


def status() -> str:
    """One line for ``redthread doctor`` and ``redthread native status``."""
    if in_use():
        return f"compiled with mypyc ({build_dir()})"
    if disabled():
        return "Python (REDTHREAD_NATIVE=0)"
    if (build_dir() / MANIFEST).is_file():
        return "Python (a compiled build exists but could not be imported)"
    return "Python: run `redthread native build` for the compiled engine (about 1.5x faster)"


class BuildError(Exception):
    """The compiled modules could not be built; the Python files stay in use."""


def build(force: bool = False) -> Path:
    """Compile NATIVE_MODULES into build_dir() and return it (at once when built already).

    The package's Python files are copied to a temporary folder and compiled there with
    mypyc; the results are moved into place, the manifest last, so that an interrupted
    build is never used."""
    target = build_dir()
    if (target / MANIFEST).is_file() and not force:
        return target
    try:
        import mypyc  # noqa: F401
    except ImportError as exc:
        raise BuildError("mypyc is not installed (pip install mypy)") from exc
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="redthread-native-") as tmp:
        work = Path(tmp)
        source = PACKAGE.parent
        for path in source.rglob("*.py"):
            copy = work / "redthread" / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
        (work / "redthread" / "py.typed").touch()
        files = [f"redthread/match/{m}.py" for m in NATIVE_MODULES]
        result = subprocess.run(
            [sys.executable, "-m", "mypyc", *files],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
            raise BuildError("mypyc failed:\n" + "\n".join(tail))
        built = [p for p in work.rglob("*.so") if "build" not in p.relative_to(work).parts]
        built += [p for p in work.rglob("*.pyd") if "build" not in p.relative_to(work).parts]
        if not built:
            raise BuildError("mypyc produced no compiled module")
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        for path in built:
            dest = staging / path.relative_to(work)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        manifest = {
            "digest": digest(),
            "modules": [f"redthread.match.{m}" for m in NATIVE_MODULES],
            "python": sys.version.split()[0],
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "seconds": round(time.monotonic() - started, 1),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if target.exists():
            shutil.rmtree(target)
        try:
            staging.rename(target)
        except OSError:  # another process built it meanwhile
            shutil.rmtree(staging, ignore_errors=True)
            if not (target / MANIFEST).is_file():
                raise
    return target
