"""Read a rendered HTML form the way a browser does and build the data it would post.

Used by the tests that open a form on existing data and send it back unchanged: whatever the
page shows (input values, selected options, textarea text, checked boxes) is what is posted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected) of a select
    text: str = ""  # a textarea's content

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def type(self) -> str:
        default = {"input": "text", "button": "submit"}.get(self.tag, self.tag)
        return self.attrs.get("type", default).lower()


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)

    @property
    def method(self) -> str:
        return self.attrs.get("method", "get").lower()

    def submit_buttons(self) -> list[Control]:
        return [
            c
            for c in self.controls
            if c.tag in ("button", "input") and c.type in ("submit", "image")
        ]

    def data(self, submit: Control | None = None) -> list[tuple[str, str]]:
        """The name/value pairs a browser sends, in document order, pressing `submit`."""
        out: list[tuple[str, str]] = []
        for c in self.controls:
            if not c.name or "disabled" in c.attrs:
                continue
            if c.tag == "input":
                if c.type in ("submit", "image", "button", "reset", "file"):
                    continue
                if c.type in ("checkbox", "radio"):
                    if "checked" in c.attrs:
                        out.append((c.name, c.attrs.get("value", "on")))
                    continue
                out.append((c.name, c.attrs.get("value", "")))
            elif c.tag == "select":
                chosen = [v for v, sel in c.options if sel]
                if not chosen and c.options and "multiple" not in c.attrs:
                    chosen = [c.options[0][0]]  # a single select sends its first option
                out.extend((c.name, v) for v in chosen)
            elif c.tag == "textarea":
                text = c.text[1:] if c.text.startswith("\n") else c.text
                out.append((c.name, text.replace("\r\n", "\n")))
        if submit is not None and submit.name:
            out.append((submit.name, submit.attrs.get("value", "")))
        return out


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: list | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button"):
            self._form.controls.append(Control(tag, a))
        elif tag == "select":
            self._select = Control(tag, a)
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._close_option()  # an <option> may go without its end tag
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(("", False))  # filled in at the end tag
        elif tag == "textarea":
            self._textarea = Control(tag, a)
            self._form.controls.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.text += data
        elif self._option is not None:
            self._option[2] += data

    def _close_option(self):
        if self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options[-1] = (value if value is not None else text.strip(), selected)
            self._option = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_in(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.forms
