"""glue_shown glues, prints once, and returns nothing: a chapter cell that ends
with it must not show the value a second time as a bare string."""

from llmmath.book.gluing import format_number, glue_shown


def test_glue_shown_prints_once_and_returns_nothing(capsys):
    assert glue_shown("n_words", 400000) is None
    assert capsys.readouterr().out == f"n_words = {format_number(400000)}\n"


def test_glue_shown_label_and_format(capsys):
    glue_shown("acc", 0.98765, ".1%", label="accuracy")
    assert capsys.readouterr().out == "accuracy = 98.8%\n"
