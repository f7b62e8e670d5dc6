"""The ``newsarchive`` command line: crawl, import, extract, serve, demo."""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import click

from crawler.papers import RegistryError, get_paper

DB_OPTION = click.option(
    "--db",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The archive database.",
    envvar="NEWSARCHIVE_DB",
)
FILES_OPTION = click.option(
    "--files",
    default="files",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where page PDFs are stored (content-addressed).",
    envvar="NEWSARCHIVE_FILES",
)
SOURCE_OPTION = click.option(
    "--source",
    type=click.Choice(["pypdfium2", "pdfplumber"]),
    default="pypdfium2",
    show_default=True,
    help="Where characters come from.",
)
# Exit statuses (README "Exit status"): 2 is click's for a usage error.
EXIT_PAGES_FAILED = 1  # pages failed to download or extract, or were given up
EXIT_ARCHIVE_UNUSABLE = 66  # EX_NOINPUT: archive missing, empty, read-only for a writer, damaged
EXIT_HOST_FAULT = 74  # EX_IOERR: files store, log or lock directory cannot be written
REDIS_OPTION = click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    envvar="NEWSARCHIVE_REDIS",
    help="Redis of the distributed queue, e.g. redis://HOST:6379/0.",
)
EXIT_ALREADY_RUNNING = 75  # EX_TEMPFAIL: try again later
SHARED_FILES_OPTION = click.option(
    "--shared-files", is_flag=True,
    help="With --distributed: the files store is mounted on every worker's host (`newsarchive "
         "worker --shared-files DIR`); PDFs go through it, not in the messages.")
def limit_options(command):
    """--timeout and --memory-limit: the limits of the worker that opens each PDF."""
    from pipelines.sandbox import MEMORY_LIMIT_MB, TIMEOUT_S

    command = click.option(
        "--memory-limit", "memory_mb", default=MEMORY_LIMIT_MB, show_default=True,
        type=click.IntRange(min=64), help="MB of memory a PDF may take (its worker's).")(command)
    return click.option(
        "--timeout", default=TIMEOUT_S, show_default=True, type=click.FloatRange(min=0.1),
        help="Seconds a PDF may take.")(command)


INIT_OPTION = click.option(
    "--init", is_flag=True, help="Start a new archive even where an empty (0-byte) file is."
)
DEMO_DATES = [date(2023, 6, 14), date(2023, 6, 15), date(2023, 6, 16)]


class ArchiveGroup(click.Group):
    """The command group: an archive that cannot be opened, read or written ends a command
    with one line on stderr and EXIT_ARCHIVE_UNUSABLE, a directory of ours that cannot be
    written (files store, logs, locks) with EXIT_HOST_FAULT; never a traceback."""

    def invoke(self, ctx: click.Context):
        from pipelines.archive import ArchiveError

        try:
            return super().invoke(ctx)
        except (ArchiveError, sqlite3.Error) as exc:
            click.echo(f"{_command(ctx)}: archive unusable: {exc}", err=True)
            ctx.exit(EXIT_ARCHIVE_UNUSABLE)
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"{_command(ctx)}: {exc.strerror or exc}{where}", err=True)
            ctx.exit(EXIT_HOST_FAULT)


def _command(ctx: click.Context) -> str:
    return f"newsarchive {ctx.invoked_subcommand or ''}".strip()


@click.group(cls=ArchiveGroup)
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Crawl regional newspaper e-papers into a searchable archive."""


@cli.command()
@click.argument("papers", nargs=-1, required=True)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First date.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last date.")
@DB_OPTION
@FILES_OPTION
@click.option("--base-url", help="Crawl a copy of the paper's site at this URL instead.")
@click.option("--papers-file", type=click.Path(exists=True, dir_okay=False), help="Registry.")
@click.option("--refresh", is_flag=True, help="Download archived pages again (new versions).")
@click.option("--log-dir", default="logs", show_default=True, help="Where the crawl log goes.")
@click.option("-s", "--set", "overrides", multiple=True, help="Scrapy setting KEY=VALUE.")
@INIT_OPTION
def crawl(
    papers, start, end, db, files, base_url, papers_file, refresh, log_dir, overrides, init
) -> None:
    """Crawl PAPERS (registry ids) from --from to --to (default: yesterday and today).

    Safe under cron: a crawl of a paper that is still running makes this one exit at once
    with status 75; pages already archived are skipped. Exits 1 when pages failed.
    """
    end_day = end.date() if end else date.today()
    start_day = start.date() if start else end_day - timedelta(days=1)
    _crawl(papers, start_day, end_day, db, files, base_url, papers_file, refresh, log_dir,
           overrides, init=init)


@cli.command()
@click.argument("papers", nargs=-1, required=True)
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First date.")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last date.")
@click.option("--distributed", is_flag=True,
              help="Page PDFs downloaded and extracted by `newsarchive worker`s on Redis.")
@SHARED_FILES_OPTION
@REDIS_OPTION
@DB_OPTION
@FILES_OPTION
@click.option("--base-url", help="Crawl a copy of the paper's site at this URL instead.")
@click.option("--papers-file", type=click.Path(exists=True, dir_okay=False), help="Registry.")
@click.option("--log-dir", default="logs", show_default=True, help="Where the crawl log goes.")
@click.option("-s", "--set", "overrides", multiple=True, help="Scrapy setting KEY=VALUE.")
@INIT_OPTION
def backfill(
    papers, start, end, distributed, shared_files, redis_url, db, files, base_url, papers_file,
    log_dir, overrides, init
) -> None:
    """Archive PAPERS from --from to --to (a crawl of that span).

    With --distributed the editions are walked here and each page becomes a job (download
    and extract) for the workers; their results are stored here, and the command returns
    when all are. A backfill of a paper already being crawled exits with status 75.
    """
    if distributed:
        _require_redis(redis_url)
        if shared_files:
            overrides = (*overrides, "DISTRIBUTED_SHARED_FILES=1")
    _crawl(papers, start.date(), end.date(), db, files, base_url, papers_file, False, log_dir,
           overrides, redis_url=redis_url if distributed else None, init=init)


def _crawl(papers, start_day, end_day, db, files, base_url, papers_file, refresh, log_dir,
           overrides, redis_url: str | None = None, init: bool = False) -> None:
    """What crawl and backfill do: lock the papers, crawl them (their pages sent to the
    workers when ``redis_url`` is given), print the runs; exit 1 if pages failed."""
    from crawler.locking import AlreadyRunning, paper_locks
    from pipelines.archive import Archive

    for paper in papers:
        try:
            get_paper(paper, papers_file, db=db)
        except RegistryError as exc:
            raise click.UsageError(str(exc)) from exc
    if start_day > end_day:
        raise click.UsageError(f"--from {start_day} is after --to {end_day}")
    settings = dict(_parse_setting(o) for o in overrides)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    log_file = Path(log_dir) / f"crawl-{'-'.join(papers)}-{stamp}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    settings.setdefault("LOG_FILE", str(log_file))
    crawl_args = dict(start=start_day, end=end_day, db=db, files=files, base_url=base_url,
                      registry=papers_file, settings=settings, refresh=refresh)
    try:
        if Path(db).exists():  # refuse a read-only or emptied archive before locking
            Archive(db, init=init).close()
        with paper_locks(Path(db).resolve().parent / "locks", list(papers)):
            with Archive(db, init=init) as archive:
                for paper in papers:
                    archive.mark_interrupted_runs(paper)
            if redis_url:
                runs = _crawl_distributed(list(papers), redis_url, crawl_args)
            else:
                from crawler.runner import crawl as run_crawl

                runs = run_crawl(list(papers), **crawl_args)
    except AlreadyRunning as exc:
        click.echo(f"newsarchive crawl: {exc}; not starting", err=True)
        sys.exit(EXIT_ALREADY_RUNNING)
    for run in runs:
        _print_run(run)
    click.echo(f"log: {settings['LOG_FILE']}")
    if any(run["status"] != "ok" for run in runs):
        sys.exit(EXIT_PAGES_FAILED)


def _crawl_distributed(papers: list[str], redis_url: str, crawl_args: dict) -> list[dict]:
    """Crawl with pages sent to the workers, store their results here until all are in;
    the crawl_runs rows, their figures those of the pages stored."""
    from crawler.runner import crawl as run_crawl
    from pipelines.archive import Archive
    from pipelines.distributed.queues import make_broker
    from pipelines.distributed.writer import run_counts, wait_for_runs, writing

    settings = crawl_args["settings"]
    settings.setdefault("DISTRIBUTED_REDIS", redis_url)
    if "ITEM_PIPELINES" not in settings:
        from crawler.settings import DISTRIBUTED_PIPELINES

        settings["ITEM_PIPELINES"] = DISTRIBUTED_PIPELINES
    broker = make_broker(redis_url)
    with writing(broker, crawl_args["db"], crawl_args["files"]):
        runs = run_crawl(papers, **crawl_args)
        queued = {r["id"]: json.loads(r.get("stats") or "{}").get("newsarchive/distributed_run")
                  for r in runs if r.get("id")}
        click.echo(f"pages sent to the workers on {redis_url}; storing their results…")
        wait_for_runs(broker.client, [q for q in queued.values() if q])
    with Archive(crawl_args["db"]) as archive:
        for run_id, queue_run in queued.items():
            if not queue_run:
                continue
            counts = run_counts(broker.client, queue_run)
            row = archive.db["crawl_runs"].get(run_id)
            status = row["status"] if counts["failed"] == 0 else "errors"
            archive.finish_run(run_id, pages_new=counts["done"], pages_failed=counts["failed"],
                               status=status)
        return [archive.db["crawl_runs"].get(r["id"]) if r.get("id") else r for r in runs]


@cli.command(name="import")
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--paper", required=True, help="Registry id of the paper.")
@click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--page", "first_page", default=1, show_default=True, help="Page of the first PDF.")
@click.option("--page-name", help="Page name (版面名), e.g. 要闻.")
@DB_OPTION
@FILES_OPTION
@SOURCE_OPTION
@INIT_OPTION
@limit_options
def import_(pdfs, paper, day, first_page, page_name, db, files, source, init, timeout,
            memory_mb) -> None:
    """Archive PDFs already on disk as pages --page, --page+1, … of PAPER on --date.

    Each PDF is read in a worker limited to --timeout and --memory-limit: one over a limit
    is archived with status error and the reason, and the next one is imported."""
    from scrapy.pipelines.media import FileException

    from pipelines.archive import Archive
    from pipelines.ingest import ingest_pdf
    from pipelines.sandbox import Sandbox

    try:
        entry = get_paper(paper)
    except RegistryError as exc:
        raise click.UsageError(str(exc)) from exc
    failed = 0
    with Archive(db, init=init) as archive, Sandbox(timeout, memory_mb) as sandbox:
        archive.upsert_paper(entry.as_row())
        for page_no, pdf in enumerate(pdfs, start=first_page):
            try:
                row = ingest_pdf(
                    archive,
                    files,
                    pdf,
                    paper=paper,
                    date=day.date().isoformat(),
                    page_no=page_no,
                    page_name=page_name,
                    source=source,
                    sandbox=sandbox,
                )
            except FileException as exc:
                click.echo(f"{pdf}: {exc}", err=True)
                failed += 1
                continue
            note = f" ({row['reason']})" if row["reason"] else ""
            click.echo(f"{pdf}: page {page_no} {row['status']}{note}")
            failed += row["status"] != "ok"
    if failed:
        sys.exit(EXIT_PAGES_FAILED)


@cli.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
@SOURCE_OPTION
@limit_options
def extract(pdfs, fmt, source, timeout, memory_mb) -> None:
    """Print the articles of page PDFs (JSON: the engine's document, one per file).

    Each PDF is read in a worker limited to --timeout and --memory-limit; one over a limit
    gets its reason on stderr (and exit status 1), and the next one is read."""
    from pipelines.extract import ExtractError, extract_pdf
    from pipelines.sandbox import LimitExceeded, Sandbox

    failed = False
    with Sandbox(timeout, memory_mb) as sandbox:
        docs = ((pdf, _sandboxed(sandbox, extract_pdf, pdf, source, ExtractError))
                for pdf in pdfs)
        for pdf, doc in docs:
            if isinstance(doc, ExtractError | LimitExceeded):
                click.echo(f"{pdf}: {doc}", err=True)
                failed = True
                continue
            if fmt == "json":
                click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
            else:
                click.echo(_as_text(doc))
    if failed:
        sys.exit(EXIT_PAGES_FAILED)


@cli.command()
@DB_OPTION
@FILES_OPTION
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True)
def serve(db, files, host, port) -> None:
    """Serve the archive with Datasette (search, facets, page PDFs, CSV/JSON).

    Never writes to it: an archive that cannot be written (read-only mount, immutable file)
    is served as it is."""
    from pipelines.archive import Archive
    from publish.server import serve as serve_datasette

    # Brought up to date when it can be written (the server itself only reads); refused with
    # exit 66 when it is empty or not an archive.
    with Archive(_existing(db), readonly=None) as archive:  # an older index is rebuilt
        if archive.index_rebuilt is not None:
            click.echo(f"search index rebuilt for this version: {archive.index_rebuilt} articles")

    click.echo(f"Serving {db} on http://{host}:{port}/")
    serve_datasette(db, host=host, port=port, files_dir=files)


@cli.command()
@DB_OPTION
@FILES_OPTION
@click.option("--serve/--no-serve", default=True, help="Start Datasette afterwards.")
@click.option("--port", default=8001, show_default=True)
@INIT_OPTION
def demo(db, files, serve, port, init) -> None:
    """Crawl a bundled sample e-paper (served on 127.0.0.1) into the archive and serve it."""
    from crawler.demo.server import LocalSite
    from pipelines.archive import Archive

    with Archive(db, init=init):  # refuse a read-only or emptied archive before typesetting
        pass
    from crawler.demo.site import build_site
    from crawler.runner import crawl as run_crawl
    from crawler.runner import local_site_settings

    with tempfile.TemporaryDirectory(prefix="newsarchive-demo-") as root:
        click.echo("Typesetting the sample e-paper (3 dates x 4 pages)…")
        build_site(root, code="xcrb", paper_name="许昌日报", dates=DEMO_DATES, pages=4)
        with LocalSite(root, soft_404=("/xcrb/PC/layout/",)) as site:
            click.echo(f"Crawling {site.url}/xcrb/ into {db} and {files}/…")
            runs = run_crawl(
                ["xcrb"],
                start=DEMO_DATES[0],
                end=DEMO_DATES[-1],
                db=db,
                files=files,
                base_url=f"{site.url}/xcrb/",
                settings=local_site_settings(),
            )
    for run in runs:
        _print_run(run)
    if any(run["status"] != "ok" for run in runs):
        sys.exit(EXIT_PAGES_FAILED)
    if serve:
        from publish.server import serve as serve_datasette

        click.echo(f"Serving {db} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        serve_datasette(db, host="127.0.0.1", port=port, files_dir=files)


@cli.command()
@click.option("--paper", help="Only this paper.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only editions from this date.")
@click.option("--failed-only", is_flag=True, help="Only pages whose status is not ok.")
@click.option("--older-than", metavar="VERSION", help="Only pages extracted by an older version.")
@click.option("--workers", default=0, help="Worker processes (default: one per core).")
@click.option("--distributed", is_flag=True, help="Send the pages to `newsarchive worker`s.")
@SHARED_FILES_OPTION
@REDIS_OPTION
@DB_OPTION
@FILES_OPTION
@SOURCE_OPTION
@limit_options
def reextract(
    paper, since, failed_only, older_than, workers, distributed, shared_files, redis_url, db,
    files, source, timeout, memory_mb,
) -> None:
    """Extract stored PDFs again and replace their pages' articles (no crawling).

    With --distributed, one job per page goes to the workers on Redis and this process
    stores their results as they come back; it returns when all are stored.
    """
    from rich.progress import Progress

    from pipelines.archive import Archive
    from pipelines.reextract import agreement_change, select_pages
    from pipelines.reextract import reextract as run

    with Archive(_existing(db)) as archive:
        pages = select_pages(
            archive,
            paper=paper,
            since=since.date().isoformat() if since else None,
            failed_only=failed_only,
            older_than=older_than,
        )
        before = archive.agreement(p["id"] for p in pages)
        if distributed:
            _require_redis(redis_url)
            with Progress(disable=not pages) as progress:
                counts = _reextract_distributed(redis_url, db, files, pages, source, progress,
                                                shared_files)
            summary = ", ".join(f"{n} {status}" for status, n in counts.items())
            click.echo(f"{len(pages)} pages re-extracted by workers: {summary}")
            change = agreement_change(before, archive.agreement(p["id"] for p in pages))
            if change:
                click.echo(change)
            return
        with Progress(disable=not pages) as progress:
            task = progress.add_task("re-extracting", total=len(pages))
            counts = run(
                archive,
                files,
                pages,
                source=source,
                workers=workers,
                timeout=timeout,
                memory_mb=memory_mb,
                advance=lambda page, status: progress.advance(task),
            )
        change = agreement_change(before, archive.agreement(p["id"] for p in pages))
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to do"
    click.echo(f"{len(pages)} pages re-extracted: {summary}")
    if change:
        click.echo(change)


@cli.command()
@REDIS_OPTION
@click.option("--processes", default=0, help="Worker processes (default: one per core).")
@click.option("--heartbeat-timeout", default=60.0, show_default=True,
              help="Seconds without a heartbeat after which a worker's jobs are redone.")
@click.option("--shared-files", metavar="DIR", type=click.Path(file_okay=False, exists=True),
              help="The archive's files store as mounted on this host, for runs started "
                   "with --shared-files.")
def worker(redis_url, processes, heartbeat_timeout, shared_files) -> None:
    """Extract (and download) pages of distributed runs, until stopped (SIGTERM, Ctrl-C)."""
    import os

    from pipelines.distributed.workers import run_workers

    if not redis_url:
        raise click.UsageError("worker needs --redis URL (or NEWSARCHIVE_REDIS)")
    count = processes or os.cpu_count() or 1
    click.echo(f"{count} worker processes on {redis_url}")
    run_workers(redis_url, count, heartbeat_timeout_ms=int(heartbeat_timeout * 1000),
                shared_files=shared_files)


@cli.command()
@REDIS_OPTION
@DB_OPTION
@FILES_OPTION
def writer(redis_url, db, files) -> None:
    """Store the results of unfinished distributed runs (after the command that started
    them was stopped); returns when every one of them is stored."""
    from pipelines.distributed.queues import make_broker
    from pipelines.distributed.runs import unfinished_runs
    from pipelines.distributed.writer import drain, run_counts, writing

    if not redis_url:
        raise click.UsageError("writer needs --redis URL (or NEWSARCHIVE_REDIS)")
    broker = make_broker(redis_url)
    runs = unfinished_runs(broker.client)
    with writing(broker, _existing(db), files):
        drain(broker, files, runs)
    for run in runs:
        counts = run_counts(broker.client, run)
        click.echo(f"run {run}: {counts['done']} stored, {counts['failed']} failed")


@cli.command()
@DB_OPTION
def reindex(db) -> None:
    """Rebuild the search index from the articles table."""
    from pipelines.archive import Archive
    from pipelines.archive.search import rebuild_index

    with Archive(_existing(db)) as archive:
        # Opening an archive whose index is older than this code has just rebuilt it.
        count = archive.index_rebuilt
        if count is None:
            count = rebuild_index(archive.db)
    click.echo(f"indexed {count} articles")


@cli.command()
@DB_OPTION
@REDIS_OPTION
def status(db, redis_url) -> None:
    """Per paper: dates covered, gaps, failures by reason (also Datasette's views); with
    --redis, the distributed queue too: queued, running, done, failed, per-worker rates.

    Reads only, when the archive cannot be written (read-only mount, immutable file)."""
    from rich.console import Console
    from rich.table import Table

    from pipelines.archive import Archive

    console = Console()
    if redis_url:
        _print_queue(console, redis_url)
    with Archive(_existing(db), readonly=None) as archive:
        coverage = Table(
            "paper",
            "first",
            "last",
            "dates",
            "ok pages",
            "failed",
            "articles",
            "gaps",
            title="Coverage",
        )
        gaps: dict[str, list[str]] = {}
        for row in archive.db["coverage_gaps"].rows:
            gaps.setdefault(row["paper"], []).append(row["date"])
        for row in archive.db["paper_coverage"].rows:
            missing = gaps.get(row["paper"], [])
            shown = ", ".join(missing[:5]) + (
                f" … (+{len(missing) - 5})" if len(missing) > 5 else ""
            )
            coverage.add_row(
                row["paper"],
                row["first_date"],
                row["last_date"],
                str(row["dates"]),
                str(row["pages_ok"]),
                str(row["pages_failed"]),
                str(row["articles"]),
                shown or "none",
            )
        console.print(coverage)
        failures = Table("paper", "stage", "reason", "count", "last date", title="Failures")
        for row in archive.db["failure_reasons"].rows_where(order_by="failures desc"):
            failures.add_row(
                row["paper"], row["stage"], row["reason"], str(row["failures"]), row["last_date"]
            )
        console.print(failures)
        _print_given_up(console, archive)
        _print_quality(console, archive)


def _print_given_up(console, archive) -> None:
    """Pages the crawl no longer tries (PAGE_MAX_ATTEMPTS failed attempts): say which."""
    from rich.table import Table

    from crawler.settings import PAGE_MAX_ATTEMPTS

    rows = list(archive.db["page_attempts"].rows_where(
        "attempts >= ?", [PAGE_MAX_ATTEMPTS], order_by="paper, date, page_no"))
    if not rows:
        return
    table = Table("paper", "date", "page", "attempts", "last reason",
                  title=f"Given up ({len(rows)} pages, {PAGE_MAX_ATTEMPTS}+ failed attempts)")
    for row in rows:
        table.add_row(row["paper"], row["date"], str(row["page_no"]), str(row["attempts"]),
                      row["last_reason"])
    console.print(table)
    console.print("A crawl tries them again with a higher limit: -s PAGE_MAX_ATTEMPTS=N.")


def _sandboxed(sandbox, fn, pdf: str, source: str, expected: type[Exception]):
    """``fn(pdf, source=…)`` computed in the sandbox, or the exception that says why not."""
    from pipelines.sandbox import LimitExceeded

    try:
        return sandbox.run(fn, pdf, source)
    except (LimitExceeded, expected) as exc:
        return exc


@cli.group(invoke_without_command=True)
@DB_OPTION
@click.pass_context
def papers(ctx, db) -> None:
    """List the papers of the registry: the bundled one, extended by the operator's
    (papers.toml beside the archive, or the file NEWSARCHIVE_PAPERS names)."""
    from crawler.papers import bundled_papers, load_papers, registry_path

    ctx.obj = {"db": db}
    if ctx.invoked_subcommand:
        return
    own = registry_path(db)
    bundled = bundled_papers()
    for paper in sorted(load_papers(db=db).values(), key=lambda p: p.id):
        origin = "bundled" if bundled.get(paper.id) == paper else str(own)
        click.echo(f"{paper.id:12} {paper.family:16} {paper.name}  {paper.base_url}  ({origin})")


@papers.command(name="add")
@click.argument("paper_id")
@click.argument("url")
@click.option("--name", help="The paper's name (default: its id).")
@click.option("--first-date", type=click.DateTime(["%Y-%m-%d"]),
              help="Oldest edition the site serves (default: two years ago).")
@click.pass_context
def papers_add(ctx, paper_id, url, name, first_date) -> None:
    """Add PAPER_ID to the operator's registry from a URL of its e-paper (any page or
    article): the family, base URL and entry page are guessed from the URL's shape."""
    from crawler.papers import OWN_REGISTRY, load_papers, registry_path
    from crawler.spiders.families import FAMILIES, guess_family

    db = ctx.obj["db"]
    guessed = guess_family(url)
    if guessed is None:
        raise click.UsageError(
            f"cannot tell the site family from {url}: none of {', '.join(FAMILIES)} has URLs "
            "like it; add the entry to papers.toml by hand"
        )
    target = registry_path(db) or Path(db).resolve().parent / OWN_REGISTRY
    if target.is_file() and paper_id in load_papers(target):
        raise click.UsageError(f"{paper_id} is already in {target}")
    first = (first_date.date() if first_date else date.today() - timedelta(days=730))
    entry = {"name": name or paper_id, **guessed, "first_date": first.isoformat(),
             "source": f"newsarchive papers add {url}", "seen": date.today().isoformat()}
    lines = [f"\n[{paper_id}]"] + [
        f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in entry.items()
    ]
    with target.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    load_papers(target)  # the file still reads, with the new entry checked
    shown = ", ".join(f"{k} {v}" for k, v in guessed.items() if k != "family")
    click.echo(f"guessed family {guessed['family']} from the URL's shape ({shown})")
    click.echo(f"added {paper_id} to {target} (first_date {first}); check it with "
               f"`newsarchive crawl {paper_id}`")


QUALITY_ROWS = 10  # pages shown by `newsarchive status`, worst agreement first


def _print_quality(console, archive) -> None:
    """The pages whose extraction agrees least with the site's own text (view
    extraction_quality), and the totals."""
    from rich.table import Table

    totals = archive.agreement()
    if not totals["pages"]:
        return
    cer = "n/a" if totals["cer"] is None else f"{totals['cer']:.2%}"
    table = Table(
        "paper", "date", "page", "CER", "matched", "missing", "extra",
        title=f"Extraction vs the site's text: CER {cer} over {totals['pages']} pages "
        f"(worst first)",
    )
    for row in archive.db["extraction_quality"].rows_where(limit=QUALITY_ROWS):
        table.add_row(
            row["paper"], row["date"], str(row["page_no"]),
            "n/a" if row["cer"] is None else f"{row['cer']:.2%}",
            str(row["matched"]), str(row["missing"]), str(row["extra"]),
        )
    console.print(table)


def _require_redis(redis_url: str | None) -> None:
    if not redis_url:
        raise click.UsageError("--distributed needs --redis URL (or NEWSARCHIVE_REDIS)")


def _reextract_distributed(redis_url, db, files, pages, source, progress,
                           shared_files: bool = False) -> dict[str, int]:
    """Enqueue ``pages`` as one run, store its results here; the run's figures."""
    from pipelines.distributed.queues import make_broker
    from pipelines.distributed.runs import reextract_options, start_reextract
    from pipelines.distributed.writer import drain, run_counts, writing

    broker = make_broker(redis_url)
    options = reextract_options(source, shared_files=shared_files)
    run = start_reextract(broker.client, pages, options)
    click.echo(f"run {run}: {len(pages)} pages queued on {redis_url}")
    task = progress.add_task("re-extracting (distributed)", total=len(pages))

    def advance() -> None:
        counts = run_counts(broker.client, run)
        progress.update(task, completed=counts["done"] + counts["failed"])

    with writing(broker, db, files):
        drain(broker, files, [run], advance)
    counts = run_counts(broker.client, run)
    return {"stored": counts["done"], "failed": counts["failed"]}


def _print_queue(console, redis_url: str) -> None:
    """The distributed queue's figures (pipelines.distributed.queues.queue_figures)."""
    import redis
    from rich.table import Table

    from pipelines.distributed.queues import queue_figures

    figures = queue_figures(redis.Redis.from_url(redis_url))
    names = ("queued", "running", "retrying", "results waiting", "dead-lettered")
    console.print(f"Queue on {redis_url}: " + ", ".join(f"{figures[n]} {n}" for n in names))
    runs = Table("run", "kind", "total", "done", "failed", "in flight", "to send", title="Runs")
    for run in figures["runs"]:
        runs.add_row(run["run"], run.get("kind", ""), run.get("total", "0"), run.get("done", "0"),
                     run.get("failed", "0"), str(run["inflight"]), str(run["todo"]))
    console.print(runs)
    workers = Table("worker", "done", "failed", "pages/s", "current", title="Workers")
    for worker in figures["workers"]:
        workers.add_row(worker["worker"], str(worker["done"]), str(worker["failed"]),
                        f"{worker['pages/s']:.2f}", worker["current"])
    console.print(workers)


def _existing(db: str) -> str:
    if not Path(db).exists():
        raise click.UsageError(f"{db} does not exist: run `newsarchive crawl` or `demo` first")
    return db


def _parse_setting(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.UsageError(f"-s takes KEY=VALUE, got {text!r}")
    return key, value


def _print_run(run: dict) -> None:
    click.echo(
        f"{run.get('paper')}: {run.get('status')}: {run.get('pages_new', 0)} new, "
        f"{run.get('pages_skipped', 0)} skipped, {run.get('pages_failed', 0)} failed pages"
        + (f", {run['pages_given_up']} given up" if run.get("pages_given_up") else "")
    )


def _as_text(doc: dict) -> str:
    """Readable plain text of a document: a block per article."""
    out = []
    for page in doc["pages"]:
        out.append(f"=== page {page['number']} [{page.get('status', 'ok')}]")
        if page.get("reason"):
            out.append(page["reason"])
        for article in page.get("articles", []):
            for field in ("kicker", "title", "subtitle", "byline"):
                if article.get(field):
                    out.append(article[field] if field != "title" else f"# {article[field]}")
            out.append(article.get("body") or "")
            out.extend(f"[{c}]" for c in article.get("captions") or [])
            out.append("")
    return "\n".join(out)
