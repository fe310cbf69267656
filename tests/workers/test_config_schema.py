from __future__ import annotations

import pytest

from workers.adapters.base import ConfigError, ConfigField, ConfigSchema


def even(value: int) -> str | None:
    return None if value % 2 == 0 else "Must be even."


SCHEMA = ConfigSchema({"n": ConfigField(int, required=True, min_value=0, check=even)})


def test_a_fields_own_check_reports_under_that_field():
    with pytest.raises(ConfigError) as caught:
        SCHEMA.validate({"n": 3})
    assert caught.value.errors == {"n": ["Must be even."]}
    assert SCHEMA.validate({"n": 4}) == {"n": 4}


def test_the_check_runs_only_on_a_value_that_passed_the_other_checks():
    with pytest.raises(ConfigError) as caught:
        SCHEMA.validate({"n": "three"})
    assert caught.value.errors == {"n": ["Must be of type int."]}
    with pytest.raises(ConfigError) as caught:
        SCHEMA.validate({"n": -1})
    assert caught.value.errors == {"n": ["Must be at least 0."]}
