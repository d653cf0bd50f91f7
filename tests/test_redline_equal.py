"""Two texts of the same words are redlined without diffing them, as diffing them would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cpomdocs.documents import redline_words as redline
from cpomdocs.documents.blocks import Run
from cpomdocs.versions.word_groups import grouped_opcodes

WORDS = st.sampled_from(
    ["80", "places", "(80", "places)", "(", ")", "La", "phrase.", "Suite.", "1\u00a0234\u00a0€",
     "%", " ", "  ", "\u00a0", "\n", "et", "« a »", ";", "l'ESSMS", "x"]
)  # fmt: skip
RUN = st.builds(
    Run,
    text=st.lists(WORDS, max_size=6).map("".join),
    bold=st.booleans(),
    italic=st.booleans(),
    line_break=st.booleans(),
    link=st.sampled_from(["", "https://example.org"]),
    path=st.sampled_from(["", "financement.total"]),
)


def _slow(old: list[Run], new: list[Run], stacked: bool) -> list[Run]:
    """The general path: word opcodes, then the runs they give."""
    a, b = redline.tokens(old), redline.tokens(new)
    opcodes = grouped_opcodes([t[0] for t in a], [t[0] for t in b])
    return redline._diffed(a, b, opcodes, stacked)


# 200 examples: a fast path that kept the old formatting was found in 9 runs of 10 at 20, in
# every run at 100 (session 19: redline_words.redline_runs mutated by hand); 600 cost 6 s.
@settings(max_examples=200, deadline=None)
@given(st.lists(RUN, max_size=5), st.data(), st.booleans())
def test_the_same_words_give_what_the_word_diff_gives(
    old: list[Run], data: st.DataObject, stacked: bool
) -> None:
    # the same words, formatted otherwise or cut into other runs, or else other words
    restyled = [Run(r.text, not r.bold, r.italic, line_break=r.line_break) for r in old]
    whole = [Run("".join(r.text + ("\n" if r.line_break else "") for r in old))]
    new = data.draw(st.sampled_from([old, restyled, whole, *data.draw(st.lists(st.lists(RUN)))]))
    assert redline.redline_runs(old, new, stacked) == _slow(old, new, stacked)


def test_a_cell_unchanged_in_a_changed_row_is_not_diffed(monkeypatch: object) -> None:
    calls: list[object] = []
    monkeypatch.setattr(  # type: ignore[attr-defined]
        redline, "grouped_opcodes", lambda a, b: calls.append(a) or grouped_opcodes(a, b)
    )
    runs = [Run("1\u00a0234\u00a0€", bold=True)]
    assert redline.redline_runs(runs, list(runs), stacked=True) == runs
    assert calls == []
    assert redline.redline_runs(runs, [Run("1\u00a0235\u00a0€")], stacked=True) != runs
    assert len(calls) == 1
