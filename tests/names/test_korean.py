"""The Korean syllable key: the spellings of one name meet, other names and non-Korean names do not."""

from __future__ import annotations

import pytest

from archivekg.names import is_korean_looking, korean_keys, name_keys, name_tokens, to_latin


def keys(written: str) -> frozenset[str]:
    return korean_keys(" ".join(to_latin(t.text) for t in name_tokens(written)))


@pytest.mark.parametrize("spellings", [
    ["Kim Il Sung", "Kim Il-sŏng", "Kim Il-song", "Gim Il-seong", "Ким Ир Сен", "Ким Ильсон",
     "Kim Ir Sen", "김일성"],
    ["Pak Il-u", "Pak Il U", "Pak Ilu", "Pak Il-woo", "박일우", "Пак Ир У"],
    ["Pak Hon-yong", "Pak Heon-yeong", "Pak Hŏn-yŏng", "박헌영", "Пак Хон Ён"],
    ["Choe Yong-gon", "Choe Yong-geon", "Ch'oe Yong-gŏn", "Choi Yong-kun", "최용건", "Цой Ен Гон",
     "Чвэ Ёнгон"],
    ["Nam Il", "Нам Ир", "남일"],
    ["Pyongyang", "P'yŏngyang", "Pyeongyang", "Пхеньян", "평양"],
    ["Ri Gi-yeong", "Yi Ki-yong", "Lee Ki-young"],                 # initial r silent in the South
    ["Rim Hwa", "Im Hwa", "Lim Hwa"],
    ["Kim Il Lyong", "Kim Il-ryong", "Kim Illyong"],              # a doubled l is one sound
    ["Kwon", "Квон"],                                             # Russian в for the w glide
    ["Hegai", "Хегай"],                                           # Russian й
])
def test_spellings_of_one_name_share_a_key(spellings):
    first = keys(spellings[0])
    assert first
    for other in spellings[1:]:
        assert keys(other) & first, (spellings[0], sorted(first), other, sorted(keys(other)))


@pytest.mark.parametrize("one, other", [
    ("Kim Il Sung", "Kim Jong Il"),
    ("Kim Chaek", "Kim Chan"),
    ("Pak Il-u", "Pak Hon-yong"),
    ("Choe Yong-gon", "Cho Yong-gon"),       # 최 and 조
    ("Nam Il", "Kim Nam-il"),
    ("Pak Chang-ok", "Pak Chang-il"),
])
def test_different_names_do_not_share_a_key(one, other):
    assert keys(one) and keys(other)
    assert not keys(one) & keys(other)


def test_word_breaks_decide_how_consonants_are_read():
    # Pak Hon: k + h.  Russian Хон: kh is х, one sound.  Both are Pak + Hon.
    assert keys("Pak Hon-yong") == keys("Пак Хон Ён") == {"PaKHoNoN"}
    # Unbroken ng before a vowel is read both ways: final ng (Pyongyang), n + g (Ёнгон).
    assert keys("Pyongyang") == {"PoNaN", "PoNKaN"}


@pytest.mark.parametrize("name", ["Ivanov", "Byakov", "Stalin", "Gary Goldberg", "Moscow", "Kazakhstan",
                                  "Shtykov", "Verkhovny Sovet", "Fedorenko"])
def test_names_that_are_not_korean_get_no_key(name):
    assert not is_korean_looking(to_latin(name))


def test_initials_and_digits_get_no_key():
    assert korean_keys("v i ivanov") == frozenset()
    assert korean_keys("kim i s") == frozenset()
    assert korean_keys("1428 cc") == frozenset()
    assert korean_keys("") == frozenset()


def test_a_name_longer_than_a_korean_name_gets_no_key():
    assert korean_keys("ka na da ra ma ba sa a ja") == frozenset()


def test_a_name_that_mixes_korean_and_other_words_keys_the_korean_run_only():
    assert name_keys("south hamgyeong") == name_keys("south hamgyong") == {"south|HaMKoN"}
    assert name_keys("kim il sung square") == name_keys("kim ilsung square") == {"KiMiLSoN|square"}
    assert name_keys("north hamgyeong") != name_keys("south hamgyeong")
    assert name_keys("kim il sung") == korean_keys("kim il sung")       # wholly Korean: the plain key
    assert name_keys("moscow oblast") == frozenset()                     # no Korean word at all
