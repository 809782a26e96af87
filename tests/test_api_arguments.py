"""API arguments are checked: located errors naming the argument, never a bare TypeError."""

from typing import Any

import attrs
import numpy as np
import pytest

import itstrat_engine as it
from itstrat_engine.optimize import prepare


@pytest.mark.parametrize(
    ("options", "text"),
    [
        ({"time_limit": "10"}, "plan.time_limit: time_limit must be a number: got '10'"),
        ({"gap": "x"}, "plan.gap: gap must be a number: got 'x'"),
        ({"coverage": True}, "plan.coverage: coverage must be a number: got True"),
        ({"threads": 2.5}, "plan.threads: threads must be a whole number: got 2.5"),
        ({"threads": 10**6}, "plan.threads: threads out of range: got 1000000"),
        ({"objective": "valu"}, "did you mean 'value'?"),
    ],
)
def test_bad_settings_are_located_errors(options: dict[str, Any], text: str) -> None:
    """A wrong type or range is an ItstratError (and ValueError) naming the setting."""
    with pytest.raises(it.InvalidEngagementError) as caught:
        prepare(it.generate(4, seed=1), **options)
    assert isinstance(caught.value, ValueError)
    assert text in str(caught.value)


def test_numpy_scalars_are_numbers() -> None:
    """numpy integers and floats are accepted and stored as Python numbers."""
    prepared = prepare(it.generate(4, seed=1), time_limit=np.float64(5), threads=np.int64(1))
    assert type(prepared.settings.time_limit) is float
    assert type(prepared.settings.threads) is int


def test_a_single_pack_name_is_one_pack() -> None:
    """prioritize(e, "wsjf") means the wsjf pack, not the packs 'w', 's', 'j', 'f'."""
    e = it.generate(6, seed=1)
    assert it.prioritize(e, "wsjf") == it.prioritize(e, ["wsjf"])
    assert it.plan(e, rules="wsjf").objective_value == it.plan(e, rules=["wsjf"]).objective_value


def test_threads_in_a_file_are_capped() -> None:
    """The same range holds for threads written in the [plan] table."""
    with pytest.raises(it.InvalidEngagementError, match=r"plan\.threads: threads out of range"):
        it.from_dict(
            {
                "engagement": {"client": "A", "start": "2027-Q1", "periods": 2},
                "plan": {"threads": 5000},
            }
        )


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (
            lambda: attrs.evolve(it.Capacity(), budget="1000"),
            "budget: budget must be a number: got '1000'",
        ),
        (
            lambda: attrs.evolve(it.Capacity(), budget_per_period=("1",)),
            "budget_per_period must be a number",
        ),
        (
            lambda: attrs.evolve(it.generate(2, seed=1).initiatives[0], cost="5"),
            "cost must be a number",
        ),
        (
            lambda: attrs.evolve(it.generate(2, seed=1).initiatives[0], duration="2"),
            "duration must be a whole number",
        ),
    ],
)
def test_model_validators_refuse_wrong_types(make: Any, text: str) -> None:
    """Variants made through the API get located errors, never a bare TypeError."""
    with pytest.raises(it.InvalidValueError) as caught:
        make()
    assert isinstance(caught.value, ValueError)
    assert text in str(caught.value)
