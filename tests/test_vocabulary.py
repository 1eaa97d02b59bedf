"""Landmarks and measures are data (footlog.domain.views): one table each, read by the
canvas, the guide, the lists, the report and the command line."""

from __future__ import annotations

from footlog.domain.views import (
    DORSAL_LANDMARKS,
    LANDMARK_SPECS,
    LANDMARK_WORDS,
    LANDMARKS,
    MEASURE_SPECS,
    MEASURES,
    View,
    landmark_words,
    measure_arcs,
    measure_lines,
)


def test_every_drawn_landmark_exists_in_the_measures_view() -> None:
    for spec in MEASURE_SPECS:
        drawn = {name for pair in spec.lines for name in pair}
        drawn |= {name for arc in spec.arcs for name in arc}
        for name in drawn:
            assert name in LANDMARKS, (spec.name, name)
            assert LANDMARKS[name].view == spec.view, (spec.name, name)
        for a, vertex, b in spec.arcs:
            # An arc is read between two of the measure's own lines.
            assert (a, vertex) in spec.lines and (vertex, b) in spec.lines


def test_signed_measures_are_angles_and_say_what_their_sign_means() -> None:
    for spec in MEASURE_SPECS:
        if spec.sign:
            assert spec.unit == "deg" and "positive" in spec.sign and "negative" in spec.sign
    assert MEASURES["hallux_angle"].sign and MEASURES["toe_splay"].sign


def test_keys_are_unique_and_each_has_words_and_a_place_on_its_schematic() -> None:
    keys = [spec.key for spec in LANDMARK_SPECS]
    assert len(keys) == len(set(keys))
    boxes = {View.DORSAL: (100, 160), View.MEDIAL: (160, 100), View.PLANTAR: (100, 160)}
    for spec in LANDMARK_SPECS:
        width, height = boxes[spec.view]
        assert 0 <= spec.guide_at[0] <= width and 0 <= spec.guide_at[1] <= height, spec.key
        assert spec.words and spec.words != spec.key.replace("_", " ")
        assert LANDMARK_WORDS[spec.key] == landmark_words(spec.key) == spec.words
    # The order the database and the exports keep.
    assert DORSAL_LANDMARKS[:2] == ("hallux_tip", "toe2_tip") and DORSAL_LANDMARKS[-1] == "cleft12"
    assert landmark_words("print_007") == "print 007"  # outline points keep their id


def test_drawing_reads_the_tables() -> None:
    assert ("midfoot_medial", "mt1_medial") in measure_lines(["hallux_angle"])
    assert measure_lines(["toe_spread_ratio"]) == ()
    # A line shared by two measures is drawn once.
    both = measure_lines(["hallux_angle", "toe_splay"])
    assert len(both) == len(set(both)) == 3
    assert measure_arcs() == (("midfoot_medial", "mt1_medial", "hallux_medial"),)
