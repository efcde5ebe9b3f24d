"""The base of every form: WTForms' own messages in the interface's language.

WTForms ships no Vietnamese catalogue, so a field left empty said "This field is required." in the Vietnamese
interface. Its messages for the fields and validators this app uses are given here in Vietnamese, and the
English catalogue turns them back into English, as for every other string.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

MESSAGES = {  # WTForms' message (the plural, where it has one) -> ours
    "This field is required.": _l("Mục này chưa được điền."),
    "Field cannot be longer than %(max)d characters.": _l("Không được dài quá %(max)d ký tự."),
    "Field must be at least %(min)d characters long.": _l("Phải có ít nhất %(min)d ký tự."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Phải có từ %(min)d đến %(max)d ký tự."),
    "Field must be exactly %(max)d characters long.": _l("Phải có đúng %(max)d ký tự."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Not a valid date value.": _l("Ngày không hợp lệ (dạng ngày/tháng/năm)."),
    "Not a valid datetime value.": _l("Ngày giờ không hợp lệ."),
    "Not a valid decimal value.": _l("Không phải là một số."),
    "Not a valid float value.": _l("Không phải là một số."),
    "Not a valid integer value.": _l("Không phải là một số nguyên."),
    "Number must be between %(min)s and %(max)s.": _l("Số phải từ %(min)s đến %(max)s."),
    "Number must be at least %(min)s.": _l("Số phải từ %(min)s trở lên."),
    "Number must be at most %(max)s.": _l("Số không được lớn hơn %(max)s."),
    "Invalid email address.": _l("Địa chỉ email không hợp lệ."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
}


class _Translations:
    """What WTForms asks for: gettext and ngettext (its plural forms differ only in English)."""

    def gettext(self, string: str) -> str:
        found = MESSAGES.get(string)
        return string if found is None else str(found)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = MESSAGES.get(plural)
        if found is None:
            return singular if n == 1 else plural
        return str(found)


TRANSLATIONS = _Translations()


class Form(FlaskForm):
    """FlaskForm (CSRF included) whose built-in messages follow the interface's language."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS
