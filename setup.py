"""Only the optional compiled glyph loop (everything else is in pyproject.toml): where no C
compiler is, the install still succeeds and pdfium_source runs the same loop in Python."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("pipelines.extract._glyphs", ["pipelines/extract/_glyphs.c"],
                             optional=True)])
