"""Authoring forms: the lesson and case editors, copying a case and uploading a content file."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from lms.forms import Form

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_TEXT = 200_000
EDITOR_ACTIONS = ("preview", "draft", "publish", "discard")


def _slug_field(label):
    return StringField(label, validators=[
        DataRequired(), Length(max=100),
        Regexp(SLUG_PATTERN, message=_l("Chỉ dùng chữ thường không dấu, chữ số và dấu gạch nối đơn, "
                                        "ví dụ: tranh-chap-loi-di."))],
        render_kw={"autocapitalize": "none", "spellcheck": "false"})


class LessonForm(Form):
    """Edit a lesson: the fields of its file; checked only when published."""

    title = StringField(_l("Tiêu đề"), validators=[Length(max=300)])
    summary = StringField(_l("Tóm tắt"), validators=[Length(max=2000)],
                          description=_l("Một câu tóm tắt bài học."))
    body = TextAreaField(_l("Nội dung (Markdown)"), validators=[Length(max=MAX_TEXT)],
                         description=_l("Đề mục bắt đầu từ ##; liên kết nội bộ: lesson:, module:, case:."),
                         render_kw={"rows": 24, "spellcheck": "true"})


class NewLessonForm(LessonForm):
    """Write a new lesson; its slug names the file."""

    slug = _slug_field(_l("Mã bài (slug)"))
    taken_slugs: frozenset[str] = frozenset()  # set by the view: the module's lessons and new-lesson drafts

    def validate_slug(self, field):
        """A lesson slug is used once per module."""
        if field.data in self.taken_slugs:
            raise ValidationError(_l("Chuyên đề đã có bài (hoặc bản nháp) mang mã này."))


class CaseForm(Form):
    """Edit a case as its whole file: YAML front matter, then the two sections."""

    text = TextAreaField(_l("Tệp tình huống"), validators=[Length(max=MAX_TEXT)],
                         render_kw={"rows": 36, "spellcheck": "false", "class": "code-editor"})


class NewCaseForm(CaseForm):
    """Write a new case; its slug names it across the course."""

    slug = _slug_field(_l("Mã tình huống (slug)"))

    def __init__(self, *args, is_slug_taken=lambda slug: False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_slug_taken = is_slug_taken

    def validate_slug(self, field):
        """A case slug is used once in the whole course."""
        if self.is_slug_taken(field.data):
            raise ValidationError(_l("Mã này đã được một tình huống (hoặc bản nháp) khác dùng."))


class DuplicateCaseForm(Form):
    """Copy a case under a new slug, as a draft."""

    new_slug = _slug_field(_l("Mã của bản sao"))


class UploadForm(Form):
    """Publish a lesson or case from a file in the content format."""

    kind = SelectField(_l("Loại tệp"), choices=[SelectChoice("lesson", _l("Bài học (NN-slug.md)")),
                                               SelectChoice("case", _l("Tình huống (slug.md)"))])
    file = FileField(_l("Tệp .md"), validators=[FileRequired(_l("Vui lòng chọn tệp.")),
                                                FileAllowed(["md"], _l("Chỉ nhận tệp .md."))])
