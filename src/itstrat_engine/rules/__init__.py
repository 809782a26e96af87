"""Declarative prioritization: rule packs as data, a safe expression language, explanations.

- `load_pack`, `loads_pack`, `pack_from_dict`, `builtin_packs`, `builtin_names`: read and
  check packs (the format is `PackFile`, in `itstrat_engine.rules.schema`); `pack_to_dict`:
  a pack back as the data of its file; `file_packs`: an engagement's ``[plan] rules`` with
  pack paths relative to its file;
- `prioritize`: score issues and initiatives, with gates, timing, tiers and an explanation
  per item; `Prioritization.apply` writes the results into the engagement for the optimizer;
- `run_examples`: run a pack's own test cases;
- `compile_expression`, `compile_pack`: the compiler underneath.

The rule-authoring guide is ``docs/rules.md``.
"""

from itstrat_engine.rules.compiled import CompiledPack, Outcome, Step, compile_pack
from itstrat_engine.rules.evaluate import Prioritization, Scored, prioritize, resolve_params
from itstrat_engine.rules.examples import ExampleResult, run_examples
from itstrat_engine.rules.expressions import (
    FUNCTIONS,
    Expression,
    ExpressionProblem,
    Missing,
    MissingValueError,
    ValueType,
    compile_expression,
)
from itstrat_engine.rules.fields import FIELDS, FieldSpec, Subject
from itstrat_engine.rules.packs import (
    Example,
    Pack,
    Rule,
    builtin_names,
    builtin_packs,
    file_packs,
    load_pack,
    loads_pack,
    pack_from_dict,
    pack_to_dict,
)
from itstrat_engine.rules.schema import Expectation, PackFile

__all__ = [
    "FIELDS",
    "FUNCTIONS",
    "CompiledPack",
    "Example",
    "ExampleResult",
    "Expectation",
    "Expression",
    "ExpressionProblem",
    "FieldSpec",
    "Missing",
    "MissingValueError",
    "Outcome",
    "Pack",
    "PackFile",
    "Prioritization",
    "Rule",
    "Scored",
    "Step",
    "Subject",
    "ValueType",
    "builtin_names",
    "builtin_packs",
    "compile_expression",
    "compile_pack",
    "file_packs",
    "load_pack",
    "loads_pack",
    "pack_from_dict",
    "pack_to_dict",
    "prioritize",
    "resolve_params",
    "run_examples",
]
