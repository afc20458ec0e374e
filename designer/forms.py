"""Forms of the designer's pages: create an empty design, import a YAML design file."""

from django import forms


class DesignCreateForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DesignImportForm(forms.Form):
    file = forms.FileField(help_text="a YAML design file, like those in examples/")
