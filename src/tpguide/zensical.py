"""``make build ENGINE=zensical``: the site on Zensical, in three steps (issue 24).

1. ``tpguide.prepare``: check every input, rewrite every page (charts, evidence, citations),
   write the generated pages and the template values; problems stop here with ``file:line``;
2. Zensical builds the prepared folder (``python -m zensical build``, run in that folder);
3. ``tpguide.finish``: backlinks, chart data, feeds, deferred scripts, fingerprints, CSP, sitemap,
   ``_headers``; then the site is moved to its place.

A failure in any step leaves no site folder. Zensical runs no hooks, so nothing of our build
depends on it doing more than render Markdown pages with our templates.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import shutil
import subprocess
import sys
from pathlib import Path

from . import deploy
from .preview import EDITOR_FILE_RE as _EDITOR_FILE_RE, watched_paths

DEFAULT_WORKDIR = Path("build") / "zensical"
TIMEOUT = 900


class BuildError(Exception):
    """A step failed; the message says which and why."""


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def engine_messages(output: str, prepared_docs: Path, docs: Path) -> str:
    """What Zensical said, for a reader: no colour codes, no Python traceback (the message under it
    is kept), paths in the prepared folder shown as the page in docs/ they came from."""
    lines, in_traceback = [], False
    for line in _ANSI_RE.sub("", output).splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
            continue
        if in_traceback:
            if line.startswith((" ", "\t")) or not line.strip():
                continue
            in_traceback = False
        lines.append(line.replace(str(prepared_docs), str(docs)).replace("build/zensical/docs/", "docs/"))
    text = "\n".join(line for line in lines if line.strip())
    return text or "(no message)"


def build(config_file: Path | str = "mkdocs.yml", *, site_dir: Path | str | None = None,
          workdir: Path | str | None = None, strict: bool = True, shutdown: bool = False) -> Path:
    from . import finish, prepare

    config_file = Path(config_file).resolve()
    root = config_file.parent
    site = Path(site_dir).resolve() if site_dir else root / "site"
    work = Path(workdir).resolve() if workdir else root / DEFAULT_WORKDIR
    try:
        prepared = prepare.prepare(config_file, work, site_dir=site, shutdown=shutdown)
    except prepare.PrepareError as exc:
        deploy.discard_site(site)
        raise BuildError(str(exc)) from None
    except BaseException:  # a bug: still no site is left that looks built
        deploy.discard_site(site)
        raise
    shutil.rmtree(work / prepare.ENGINE_SITE, ignore_errors=True)
    cmd = [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml", *(["--strict"] if strict else [])]
    try:
        result = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=TIMEOUT,
                                env={**os.environ, "NO_COLOR": "1"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        result = subprocess.CompletedProcess(cmd, 1, "", f"Error: {exc}")
    if result.returncode != 0:
        shutil.rmtree(work / prepare.ENGINE_SITE, ignore_errors=True)
        deploy.discard_site(site)
        raise BuildError(f"zensical build failed (exit {result.returncode}):\n"
                         + engine_messages(result.stdout + result.stderr, work / "docs", root / "docs"))
    try:
        return finish.finish(work, site, prepared=prepared)
    except finish.FinishError as exc:
        raise BuildError(str(exc)) from None


DEBOUNCE = 0.15  # seconds: an editor's save can be several events
def serve(config_file: Path | str = "mkdocs.yml", *, dev_addr: str = "127.0.0.1:8000",
          workdir: Path | str | None = None, log=None) -> int:
    """Live preview on Zensical: prepare, then ``zensical serve`` on the prepared folder; a saved
    page is prepared again alone (about 0.05 s) and Zensical rebuilds what changed. A problem is
    printed with its file and line, and the last good page keeps being served. Returns Zensical's
    exit code when it stops by itself (a port in use), 0 when stopped (Ctrl-C, SIGTERM)."""
    import queue
    import threading
    import time

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    from . import prepare

    log = log or (lambda text: print(text, file=sys.stderr, flush=True))
    config_file = Path(config_file).resolve()
    root = config_file.parent
    work = Path(workdir).resolve() if workdir else root / DEFAULT_WORKDIR
    session = prepare.Session(config_file, work)
    try:
        session.full()
    except prepare.PrepareError as exc:
        log(f"tpguide: {exc}")
        return 1
    changes: queue.Queue = queue.Queue()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write") or event.is_directory and event.event_type == "modified":
                return
            for name in (getattr(event, "src_path", ""), getattr(event, "dest_path", "")):
                if name:
                    changes.put((event.event_type, Path(str(name))))

    watched = watched_paths(session.config)
    observer = Observer()
    for path in watched:
        observer.schedule(Handler(), str(path if path.is_dir() else path.parent), recursive=path.is_dir())
    stop = threading.Event()
    engine = None
    previous = None
    try:
        if threading.current_thread() is threading.main_thread():
            # stopped by a process manager: clean up too
            previous = signal.signal(signal.SIGTERM, lambda *args: stop.set())
        observer.start()
        # its own process group, so that stopping it stops whatever it started
        engine = subprocess.Popen([sys.executable, "-m", "zensical", "serve", "-f", "mkdocs.yml", "-a", dev_addr],
                                  cwd=work, start_new_session=True)
        log(f"tpguide: serving the prepared site with Zensical on http://{dev_addr}/ (Ctrl-C stops)")
        docs = Path(session.config.docs_dir).resolve()
        while engine.poll() is None and not stop.is_set():
            try:
                first = changes.get(timeout=0.5)
            except queue.Empty:
                continue
            time.sleep(DEBOUNCE)
            batch = [first]
            while not changes.empty():
                batch.append(changes.get())
            paths = {p for kind, p in batch if not _EDITOR_FILE_RE.match(p.name)
                     and any(p == w or p.is_relative_to(w) for w in watched) and not p.is_relative_to(work)}
            if not paths:
                continue
            start = time.perf_counter()
            pages = [p for p in paths if p.suffix == ".md" and p.is_relative_to(docs)]
            kinds = {kind for kind, p in batch}
            try:
                if len(pages) == len(paths) and kinds <= {"modified", "closed"} and \
                        all(session.page(p.relative_to(docs).as_posix()) for p in pages):
                    log(f"tpguide: prepared {', '.join(p.relative_to(root).as_posix() for p in sorted(pages))} "
                        f"in {time.perf_counter() - start:.2f} s")
                else:
                    session.full()
                    watched = watched_paths(session.config)
                    log(f"tpguide: prepared everything again in {time.perf_counter() - start:.2f} s")
            except prepare.PrepareError as exc:
                log(f"tpguide: {exc}\n(the preview keeps the last good version)")
            except Exception as exc:  # noqa: BLE001 - a file replaced while it was read: keep serving
                log(f"tpguide: {type(exc).__name__}: {exc}\n(the preview keeps the last good version)")
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=5)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        code = _stop(engine) if engine is not None else 0
        if session.config is not None:
            session.config.plugins.on_shutdown()
    if code and not stop.is_set():
        log(f"tpguide: Zensical stopped (exit {code})")
        return code
    return 0


# Stop a process started with start_new_session=True and everything it started; its exit code
# when it had ended by itself, else 0.
def _stop(proc: subprocess.Popen) -> int:
    code = proc.poll()
    if code is not None:
        return code
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tpguide.zensical", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="prepare, build with Zensical, finish")
    b.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    b.add_argument("-d", "--site-dir", type=Path, default=None)
    b.add_argument("--workdir", type=Path, default=None, help=f"the prepared folder (default {DEFAULT_WORKDIR})")
    b.add_argument("--strict", action="store_true", help="Zensical's warnings (links to missing pages) stop the build")
    live = sub.add_parser("serve", help="live preview: prepare, zensical serve, each saved page prepared again")
    live.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    live.add_argument("-a", "--dev-addr", default=None)
    live.add_argument("--workdir", type=Path, default=None)
    live.add_argument("--strict", action="store_true", help="(always: a problem is reported and not served)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args.config_file, dev_addr=args.dev_addr or "127.0.0.1:8000", workdir=args.workdir)
    try:
        site = build(args.config_file, site_dir=args.site_dir, workdir=args.workdir, strict=args.strict, shutdown=True)
    except BuildError as exc:
        print(f"tpguide: {exc}", file=sys.stderr)
        return 1
    print(f"tpguide: built with Zensical into {site}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
