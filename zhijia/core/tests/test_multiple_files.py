"""The one multi-file field (core.forms.MultipleFileField)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from zhijia.core.forms import MultipleFileField, MultipleFileInput


class _Form(forms.Form):
    files = MultipleFileField(label="附件", accept="image/*,.pdf")


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_several_files_clean_to_a_list():
    form = _Form({}, MultiValueDict({"files": [_upload("a.pdf"), _upload("b.pdf")]}))
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["files"]] == ["a.pdf", "b.pdf"]


def test_none_is_an_empty_list_and_optional():
    form = _Form({}, MultiValueDict())
    assert form.is_valid() and form.cleaned_data["files"] == []


def test_required_and_widget():
    class Required(forms.Form):
        files = MultipleFileField(required=True)

    assert not Required({}, MultiValueDict()).is_valid()
    field = _Form().fields["files"]
    assert isinstance(field.widget, MultipleFileInput)
    html = str(_Form()["files"])
    assert "multiple" in html and 'accept="image/*,.pdf"' in html
