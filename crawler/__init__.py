"""The Scrapy project of newsarchive: settings, items, papers registry, spiders and CLI."""

__version__ = "0.1.0"
