from __future__ import annotations

import pytest

from detector import Config, ConfigError


@pytest.mark.parametrize(
    "changes",
    [
        {"ngram": 0},
        {"num_perm": 4},
        {"scheme": "md5"},
        {"lsh_threshold": 0.0},
        {"recycled_threshold": 1.5},
        {"seed": -1},
        {"max_bytes": 0},
    ],
)
def test_rejects_out_of_range(changes):
    with pytest.raises(ConfigError):
        Config(**changes)


def test_frozen_and_replace():
    config = Config()
    with pytest.raises(AttributeError):
        config.ngram = 3  # type: ignore[misc]
    assert config.replace(ngram=3).ngram == 3
    assert config.to_dict()["num_perm"] == 128
