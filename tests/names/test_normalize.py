"""The normaliser, the Latin readings and the identifier keys."""

from __future__ import annotations

import pytest

from archivekg.names import compact, document_numbers, homoglyph_fold, name_tokens, normalize, to_latin


@pytest.mark.parametrize("written, normalised", [
    ("Kim Il Sung’s", "kim il sung"),
    ("Kim Il Sung's", "kim il sung"),
    ("KIM IL SUNG", "kim il sung"),
    ("ＫＩＭ　ＩＬ　ＳＵＮＧ", "kim il sung"),             # full-width forms (NFKC)
    ("Kim Il-sŏng", "kim il song"),
    ("Hŭngnam", "hungnam"),
    ("P'yŏngyang", "pyongyang"),                          # MR aspiration mark joins its word
    ("Ch’oe Yong-gŏn", "choe yong gon"),
    ("Pétain", "petain"),
    ("Cde. A. M. PETROV", "a m petrov"),
    ("Comrade Kim", "kim"),
    ("тов. Штыков", "штыков"),
    ("Ambassador V. I. Ivanov", "v i ivanov"),
    ("Premier Kim Il Sung", "kim il sung"),
    ("Minister of Heavy Industry", "minister of heavy industry"),   # a title that names a body
    ("The History and Public Policy Program", "history and public policy program"),
    ("Cde.", "cde"),                                      # an honorific alone is all there is
    ("Фёдоров", "федоров"),                               # ё is written е
    ("Хегай", "хегай"),                                   # й keeps its breve
    ("김일성", "김일성"),                                    # Hangul stays composed
    ("Kanggye [Kange]", "kanggye kange"),
    ("VKP(b)", "vkp b"),
    ("  ", ""),
])
def test_normalize(written, normalised):
    assert normalize(written) == normalised


def test_hyphens_and_spaces_in_korean_given_names_do_not_matter():
    assert compact("Pak Il-u") == compact("Pak Il U") == compact("Pak Ilu") == "pakilu"


def test_initials_are_marked_as_abbreviated():
    tokens = name_tokens("Yu. V. Andropov")
    assert [(t.text, t.abbreviated) for t in tokens] == [("yu", True), ("v", True), ("andropov", False)]
    assert not name_tokens("Ivanov.")[0].abbreviated
    assert [t.abbreviated for t in name_tokens("Ivanov V.I.")] == [False, True, True]


def test_a_name_that_is_not_a_string_is_refused_with_what_it_was():
    with pytest.raises(TypeError, match="a name must be a string, not int: 42"):
        normalize(42)


@pytest.mark.parametrize("written, latin", [
    ("Бяков", "byakov"),
    ("Разуваев", "razuvayev"),
    ("Казахстан", "kazakhstan"),
    ("Пхеньян", "pkhenyan"),
    ("Ким Ир Сен", "kim ir sen"),
    ("Дальневосточного края", "dalnevostochnogo kraya"),
    ("김일성", "gim il seong"),                            # one word per Hangul syllable
    ("박헌영", "bag heon yeong"),
    ("Kim Il-sŏng", "kim il song"),
    ("ВКП(б)", "vkp b"),
])
def test_to_latin(written, latin):
    assert to_latin(written) == latin


def test_cyrillic_letters_that_russian_lacks_still_get_a_latin_reading():
    assert to_latin("Київ") == "kiiv"


def test_homoglyph_fold_maps_cyrillic_look_alikes_onto_latin_letters():
    assert homoglyph_fold("1-СС") == "1-CC"
    assert homoglyph_fold("1-сс") == "1-cc"
    assert homoglyph_fold("АВС") == "ABC"
    assert homoglyph_fold("1-ЖЖ") == "1-ЖЖ"                # no Latin look-alike: kept


@pytest.mark.parametrize("written, numbers", [
    ("No. 1-сс", ["1cc"]),                                # Cyrillic с
    ("No. 1-cc", ["1cc"]),                                # Latin c
    ("№ 1сс", ["1cc"]),
    ("№1СС", ["1cc"]),
    ("Nr. 17", ["17"]),
    ("decree 1428-326cc of 21 August 1937", ["1428326cc"]),
    ("resolution 1647-377сс", ["1647377cc"]),
    ("21 August 1937", []),                               # a date holds no document number
    ("Kim Il Sung", []),
])
def test_document_numbers(written, numbers):
    assert document_numbers(written) == numbers
