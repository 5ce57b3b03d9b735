"""Tiny server-side HTML: escaped text only, one page skeleton, large readable type."""
from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

from district_server.errors import ProblemError

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:0;color:#1b1f24;
background:#f4f6f8;font-size:18px;line-height:1.5}
header{background:#0b5cab;color:#fff;padding:12px 20px;font-size:22px}
main{padding:16px 20px;max-width:1100px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:24px}
th,td{border-bottom:1px solid #d5dbe1;padding:8px;text-align:left;vertical-align:top}
.overdue{background:#fde8e8}.state{font-weight:600}.muted{color:#5b6673}
button,input,select,textarea{font-size:18px;padding:8px 14px;min-height:44px}
.card{background:#fff;padding:16px;margin-bottom:16px;border-radius:6px}
.big{font-size:28px;font-weight:700}
"""


def text(value: object) -> str:
    return escape("" if value is None else str(value))


def page(title: str, body: str, *, lang: str = "zh-CN") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{text(title)}</title><style>{STYLE}</style></head>"
            f"<body><header>{text(title)}</header><main>{body}</main></body></html>")


def problem_page(title: str, error: ProblemError) -> HTMLResponse:
    """A refusal or failure a member of staff reads in the browser, with the way back."""
    if error.status == 404:
        return HTMLResponse(page(title, "<p id='problem'>未找到 Not found</p>"), status_code=404)
    said = "无权限 Not permitted for your role" if error.error == "role_required" else error.detail
    return HTMLResponse(page(title, f"<p id='problem'>{text(said)}</p>"
                             "<p><a href='javascript:history.back()'>返回 Back</a></p>"),
                        status_code=error.status, headers=error.headers)


def table(headers: list[str], rows: list[tuple[list[str], str]]) -> str:
    """rows: (cells already escaped/marked up, css class of the row)."""
    head = "".join(f"<th>{text(h)}</th>" for h in headers)
    body = "".join(f'<tr class="{css}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
                   for cells, css in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def post_button(action: str, label: str, fields: dict[str, str] | None = None, *,
                button_id: str = "") -> str:
    hidden = "".join(f'<input type="hidden" name="{text(k)}" value="{text(v)}">'
                     for k, v in (fields or {}).items())
    ident = f' id="{text(button_id)}"' if button_id else ""
    return (f'<form method="post" action="{text(action)}" style="display:inline">{hidden}'
            f"<button{ident} type=\"submit\">{text(label)}</button></form>")
