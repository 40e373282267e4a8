from __future__ import annotations

import pytest

from ember.errors import ConfigError
from ember.settings import Settings, load_settings


def test_defaults_then_environment_then_flags() -> None:
    env = {"EMBER_DB": "sqlite:///env.db", "EMBER_MAX_FILE_BYTES": "1000"}
    settings = load_settings(env, allow_private=True)
    assert settings.db_url == "sqlite:///env.db"
    assert settings.max_file_bytes == 1000
    assert settings.allow_private is True
    assert load_settings(env, db_url="sqlite:///flag.db").db_url == "sqlite:///flag.db"
    assert load_settings({}).max_fetch_bytes == Settings().max_fetch_bytes


def test_none_flags_do_not_override() -> None:
    assert load_settings({"EMBER_TEXT_COLUMN": "body"}, text_column=None).text_column == "body"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EMBER_MAX_FILE_BYTES", "ten"),
        ("EMBER_ALLOW_PRIVATE", "perhaps"),
        ("EMBER_FETCH_TIMEOUT_S", "x"),
    ],
)
def test_bad_environment_values_are_config_errors(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_unknown_flag_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings({}, colour="red")
