from __future__ import annotations

import pytest

from detector.places import gazetteer, is_admin_level, is_place, short_name


@pytest.mark.parametrize(
    "name",
    ["浙江", "浙江省", "福建", "井研县", "井研", "沐川县", "五通桥区", "犍为县", "内蒙古", "广西", "北京市"],
)
def test_divisions_known(name):
    assert is_place(name)


@pytest.mark.parametrize("word", ["发展", "美丽", "城市", "河湖", "生态环境", "开展"])
def test_common_words_are_not_places(word):
    assert not is_place(word)


def test_admin_levels():
    assert all(is_admin_level(w) for w in ["县", "全县", "全区", "我市", "本镇", "各乡"])
    assert not is_admin_level("县城") and not is_admin_level("全面")


def test_short_names():
    assert short_name("广西壮族自治区") == "广西"
    assert short_name("赵县") == "赵县"
    assert len(gazetteer()) > 5000
