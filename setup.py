"""Build of pressurepoint: the package metadata is in pyproject.toml; this file only adds
the compiled modules.

The names engine, the pairwise scorer and the screening engine are compiled with Cython
when pressurepoint is installed (`pip install .`): the same Python source, as C, runs
every query with roughly 15% less CPU (BENCHMARKS.md). The source stays plain
Python with plain Python semantics (annotations are not read as C types), so the compiled
and the pure modules behave alike, and pickled indexes are read by either.

- A module that fails to compile (no C compiler, no Python headers) stays pure Python:
  the install goes on with a warning.
- An editable install (`pip install -e .`, for working on pressurepoint) compiles
  nothing, so that an edited source file is never shadowed by an older compiled copy.
  `PRESSUREPOINT_PURE=1` skips compiling in any install.
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

#: The modules on the path of every name comparison and screening query.
COMPILED = (
    "names/bounds", "names/compare", "names/cyrillic", "names/forms", "names/given_names",
    "names/matching", "names/orgs", "names/persons", "names/skeleton", "names/text",
    "resolve/features", "resolve/matcher", "resolve/scorer",
    "screening/batch", "screening/engine",
)
#: Plain Python semantics: annotations stay annotations, functions stay introspectable
#: (functools.lru_cache, dataclasses and pickle see ordinary functions and classes).
DIRECTIVES = {"language_level": 3, "annotation_typing": False, "binding": True}


def extensions() -> list[Extension]:
    return [Extension(f"pressurepoint.{module.replace('/', '.')}",
                      [f"src/pressurepoint/{module}.py"]) for module in COMPILED]


class OptionalBuildExt(build_ext):
    """Translate each module to C and compile it where that works; never fail the install
    for it. (setuptools' own command, so that an editable install says so: Cython's
    command derives from distutils', which setuptools then builds in place.)"""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        if self.editable_mode or os.environ.get("PRESSUREPOINT_PURE"):
            return  # pure Python (see the module docstring)
        super().run()

    def build_extension(self, ext: Extension) -> None:
        try:
            from Cython.Build import cythonize

            # the generated C files stay out of src/
            translated = cythonize([ext], compiler_directives=DIRECTIVES, quiet=True,
                                   build_dir=os.path.join(self.build_temp, "cython"))[0]
            ext.sources = translated.sources
            super().build_extension(ext)
        except Exception as exc:  # any compiler failure: the module stays pure Python
            print(f"pressurepoint: {ext.name} not compiled ({exc}); it runs as pure Python",
                  file=sys.stderr)


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
