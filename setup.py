"""Only the optional compiled loops (everything else is in pyproject.toml): where no C
compiler is, the install still succeeds and the engine runs the same loops in Python."""

from setuptools import Extension, setup

# the channel test must round as Python does: no fused multiply-add
EXACT = ["-ffp-contract=off"]

setup(ext_modules=[
    Extension("pipelines.extract._glyphs", ["pipelines/extract/_glyphs.c"], optional=True),
    Extension("pipelines.extract._channels", ["pipelines/extract/_channels.c"], optional=True,
              extra_compile_args=EXACT),
])
