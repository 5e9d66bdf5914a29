from __future__ import annotations

import pytest

from detector import CheckOptions, Config, ConfigError


@pytest.mark.parametrize(
    "changes",
    [
        {"ngram": 0},
        {"num_perm": 4},
        {"scheme": "md5"},
        {"lsh_threshold": 0.0},
        {"recycled_threshold": 1.5},
        {"seed": -1},
    ],
)
def test_rejects_out_of_range(changes):
    with pytest.raises(ConfigError):
        Config(**changes)


@pytest.mark.parametrize("changes", [{"min_passage": 0}, {"max_candidates": 0}])
def test_check_options_reject_out_of_range(changes):
    with pytest.raises(ConfigError):
        CheckOptions(**changes)


def test_frozen_and_replace():
    config = Config()
    with pytest.raises(AttributeError):
        config.ngram = 3  # type: ignore[misc]
    assert config.replace(ngram=3).ngram == 3
    assert config.to_dict()["num_perm"] == 128
