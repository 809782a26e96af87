"""The curated public surface stays honest: sorted, importable, documented, tested examples."""

import doctest
import importlib
import inspect
import pkgutil
import re
import typing

import pytest

import itstrat_engine as it


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted and has no duplicates."""
    assert list(it.__all__) == sorted(set(it.__all__))


@pytest.mark.parametrize("name", sorted(it.__all__))
def test_every_export_imports_and_is_documented(name: str) -> None:
    """Each exported name exists and has a docstring (except the version string)."""
    obj = getattr(it, name)
    if typing.get_origin(obj) is typing.Literal:
        # A type alias cannot carry a __doc__ of its own (Literal objects are shared):
        # its docstring is the string literal right after its definition.
        source = inspect.getsource(importlib.import_module(it.__name__ + ".model"))
        assert re.search(rf'^{name} = Literal\[.*\]\n"""\S', source, re.MULTILINE), name
    elif name != "__version__":
        assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_public_names_are_exported() -> None:
    """Every public name defined in the package namespace is in __all__."""
    public = {n for n in vars(it) if not n.startswith("_")} - {
        # submodules are reachable but not part of the flat API
        m.name
        for m in pkgutil.iter_modules(it.__path__)
    }
    # `plan` and `explain` are loaded lazily (they import PuLP): not in vars() until used.
    lazy = {"plan", "explain", "limits", "cheapest_mix", "pareto"}
    assert public - lazy == set(it.__all__) - {"__version__", *lazy}


MODULES = sorted(m.name for m in pkgutil.walk_packages(it.__path__, "itstrat_engine."))


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str) -> None:
    """Every runnable example in a docstring passes."""
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_importing_does_not_import_the_solver() -> None:
    """Importing the package does no heavy work: networkx loads, PuLP does not."""
    import subprocess
    import sys

    code = "import sys, itstrat_engine; print('pulp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
