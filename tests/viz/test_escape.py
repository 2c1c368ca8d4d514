"""The two escapes: HTML for every data string, and JSON that cannot leave its <script>."""

from __future__ import annotations

import json

from aigovkg.viz.escape import escape_data, escape_text, script_json


def test_escape_text_escapes_markup_and_quotes() -> None:
    assert escape_text("<img src=x onerror=\"a('1')\">&") == (
        "&lt;img src=x onerror=&quot;a(&#x27;1&#x27;)&quot;&gt;&amp;"
    )


def test_escape_data_reaches_keys_and_nested_values() -> None:
    data = {"<k>": ["<a>", {"x": "&"}, 3, None, True]}
    assert escape_data(data) == {"&lt;k&gt;": ["&lt;a&gt;", {"x": "&amp;"}, 3, None, True]}


def test_script_json_has_no_character_that_can_close_or_break_a_script() -> None:
    value = {"a": "</script><!-- & \u2028\u2029 >"}
    text = script_json(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_script_json_is_deterministic() -> None:
    assert script_json({"b": 1, "a": [2, "é"]}) == '{"a":[2,"é"],"b":1}'
