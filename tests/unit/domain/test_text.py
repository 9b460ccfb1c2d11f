"""Text helpers: the natural sort key for numbered grids."""

from __future__ import annotations


def test_natural_key_orders_numbered_grids_as_people_count() -> None:
    from wushe_desktop.domain.text import natural_key

    names = ["第七网格", "第一网格", "第十二网格", "第三网格", "第二十网格", "第十网格", "第二网格"]
    assert sorted(names, key=natural_key) == [
        "第一网格",
        "第二网格",
        "第三网格",
        "第七网格",
        "第十网格",
        "第十二网格",
        "第二十网格",
    ]
    assert sorted(["10号网格", "2号网格", "1号网格"], key=natural_key) == [
        "1号网格",
        "2号网格",
        "10号网格",
    ]
    assert natural_key("一百零五") == ((0, 105),)
    assert natural_key("网格") == ((1, "网格"),)
    assert sorted(["甲", "第二网格", "1号"], key=natural_key)[0] == "1号"  # no str/int mixups
