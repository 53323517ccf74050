"""Markdown and HTML residue never reaches the text; structure it carries becomes conventions."""
from indexer.ingest.clean import clean_inline, to_conventions


def test_residue_from_the_seeds():
    assert clean_inline("Halton is ranked the 30<sup>th</sup> most deprived borough") == \
        "Halton is ranked the 30th most deprived borough"
    assert clean_inline("**72. The impact of integrated youth support provision**") == \
        "72. The impact of integrated youth support provision"
    assert clean_inline("**73.** Halton Borough Council") == "73. Halton Borough Council"
    assert clean_inline("<b>Safeguarding</b>\t<b>4</b>") == "Safeguarding 4"
    assert clean_inline("<p>Very good quality assurance of care planning.</p>") == \
        "Very good quality assurance of care planning."
    assert clean_inline("Website: [www.ofsted.gov.uk](http://www.ofsted.gov.uk)") == "Website: www.ofsted.gov.uk"
    assert clean_inline("five A\\*–C grades") == "five A*–C grades"
    assert clean_inline("the guidance *raising concerns* and") == "the guidance raising concerns and"
    assert clean_inline('Outstanding<input checked="" type="checkbox"/>') == "Outstanding"


def test_footnote_markers_stuck_to_words_are_removed():
    assert clean_inline("local safeguarding children board¹") == "local safeguarding children board"
    assert clean_inline("receive good help, care and protection.²") == "receive good help, care and protection."
    assert clean_inline("0 live in residential special schools⁴") == "0 live in residential special schools"
    assert clean_inline("the uptake of interviews[^3].") == "the uptake of interviews."
    # numbers that are content stay
    assert clean_inline("In 2013–14, 8% of 231 children") == "In 2013–14, 8% of 231 children"


def test_footnote_texts_and_bullets_become_conventions():
    text = "¹ Ofsted produces this report\n\n<sup>1</sup> Performance in relation to five A\\*–C grades\n\n■ The local authority operates 2 children's homes.\n\n◼ In the last 12 months:\n\n---\n------------\t-------"
    out = to_conventions(text)
    assert out.split("\n\n")[:4] == [
        "[^1]: Ofsted produces this report", "[^1]: Performance in relation to five A\\*–C grades",
        "- The local authority operates 2 children's homes.", "- In the last 12 months:"]
    assert "--" not in out  # rules and table separator rows are gone


def test_a_bullet_whose_marker_was_lost():
    text = "Within six months:\n\n strengthen the arrangements for reporting allegations\n\nNext"
    assert to_conventions(text) == "Within six months:\n\n- strengthen the arrangements for reporting allegations\n\nNext"
