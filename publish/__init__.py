"""Publishing archive.db with Datasette: plugin hooks, metadata, templates and the server.

``publish.server.build_datasette(db_path)`` gives a configured Datasette; the plugin
(``publish.plugin``, registered through the ``datasette`` entry point) makes Chinese search
exact, adds the ranked search page and the article page. See docs/search.md.
"""
