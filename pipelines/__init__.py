"""What happens to a page once fetched: store the PDF, extract its articles, archive them.

Scrapy stages (wired by ``ITEM_PIPELINES`` in ``crawler.settings``):

* :mod:`pipelines.files`      download the PDF, check it, store it content-addressed
* :mod:`pipelines.extraction` run the extraction engine in a process pool
* :mod:`pipelines.storage`    write the page and its articles to the archive

The engine (:mod:`pipelines.extract`) and the archive (:mod:`pipelines.archive`) are plain
Python, usable without Scrapy by the CLI (``newsarchive extract``, ``import``).
"""
