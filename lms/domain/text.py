"""Vietnamese text folded for accent-insensitive matching: pure, shared by the content index, the database's
search function (lms_fold on SQLite) and the name searches."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics: fold('Xử lý tình huống') == 'xu ly tinh huong'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()


ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"  # the Vietnamese alphabet in its order (f j w z come from loanwords)
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


def _weight(letter: str) -> int:
    if letter.isspace():
        return 0
    if letter.isdigit():
        return 1 + int(letter) if letter.isascii() else 11
    if letter in _RANK:
        return 20 + 2 * _RANK[letter]
    if "a" <= letter <= "z":  # f, j, w, z: just before the next letter of the Latin alphabet
        return 19 + 2 * next((r for ch, r in _RANK.items() if ch > letter and ch.isascii()), len(ALPHABET))
    return 200 + ord(letter)


def sort_key(text: str) -> tuple:
    """Vietnamese dictionary order, as a sort key: letters first (ă after a, â after ă, đ after d, ơ after ô,
    ư after u), then the tones (none, huyền, hỏi, ngã, sắc, nặng), case last. Code-point order put "Đống Đa"
    after "Xã Yên Bài" and "Ngô" after "Nguyễn"."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", text.lower()):
        base, *marks = unicodedata.normalize("NFD", char)
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            else:
                base += mark  # the breve, circumflex and horn make letters of their own
        letters.append(_weight(unicodedata.normalize("NFC", base)))
        tones.append(tone)
    return tuple(letters), tuple(tones), text
