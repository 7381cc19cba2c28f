"""Settings name the variable that is wrong."""

from __future__ import annotations

import msgspec
import pytest

from eventkit.settings import ConfigError, load_settings

pytestmark = pytest.mark.unit


class Sample(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str
    smtp_port: int = 25
    s3_secure: bool = False


def test_settings_are_read_from_contigo_variables():
    settings = load_settings(Sample, {"CONTIGO_DATABASE_URL": "postgresql://x", "CONTIGO_SMTP_PORT": "2525"})

    assert settings == Sample(database_url="postgresql://x", smtp_port=2525)


def test_a_missing_setting_names_its_variable():
    with pytest.raises(ConfigError, match="CONTIGO_DATABASE_URL is required but not set"):
        load_settings(Sample, {})


def test_a_malformed_setting_names_its_variable():
    with pytest.raises(ConfigError, match="CONTIGO_SMTP_PORT is invalid"):
        load_settings(Sample, {"CONTIGO_DATABASE_URL": "x", "CONTIGO_SMTP_PORT": "veinticinco"})


def test_booleans_accept_the_usual_spellings():
    settings = load_settings(Sample, {"CONTIGO_DATABASE_URL": "x", "CONTIGO_S3_SECURE": "true"})

    assert settings.s3_secure is True
