"""Backfills and re-extraction spread over hosts on Redis, with Dramatiq (docs/distributed.md).

``queues``: the broker, queue and key names, the figures ``newsarchive status`` shows;
``runs``: a run's jobs fed to the queue, bounded; ``jobs``: what a worker does with one page;
``politeness``: downloads rate-limited per host across all workers; ``writer``: the one
writer on the archive's host; ``workers``: the worker processes of ``newsarchive worker``.
"""
