"""Build the optional C hit path of ``@memoize`` (all metadata is in pyproject.toml).

``optional=True``: when the extension cannot be compiled (no C compiler),
the install goes on and ``dptoolkit._fastpath`` falls back to its
pure-Python twin.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "dptoolkit._cmemo",
            ["dptoolkit/_cmemo.c"],
            depends=[
                "dptoolkit/_cmemo_attrs.h",
                "dptoolkit/_cmemo_miss.h",
                "dptoolkit/_cmemo_ready.h",
            ],
            optional=True,
        ),
    ],
)
