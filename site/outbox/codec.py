"""Turning an EmailMessage into JSON and back, so that it can wait in the database
(sealed: see outbox.sealing)."""

import base64

from django.core.mail import EmailMessage, EmailMultiAlternatives

# Names the template a message was made from, for the outbox screen. The outbox
# keeps it beside the sealed message and never sends it on: recipients' mail
# systems have no business knowing our template names.
TEMPLATE_HEADER = "X-Outbox-Template"


def template_header(template: str) -> dict[str, str]:
    """`headers=` for an EmailMessage: which template it is, e.g. "email/receipt"."""
    return {TEMPLATE_HEADER: template}


def template_of(message: EmailMessage) -> str:
    return str((message.extra_headers or {}).get(TEMPLATE_HEADER, ""))[:100]


def encode(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {
            k: str(v)
            for k, v in (message.extra_headers or {}).items()
            if k != TEMPLATE_HEADER
        },
        "alternatives": [
            [str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [
            [
                name,
                base64.b64encode(
                    content.encode() if isinstance(content, str) else content
                ).decode("ascii"),
                mimetype,
            ]
            for name, content, mimetype in (
                a for a in message.attachments if isinstance(a, tuple)
            )
        ],
    }


def decode(payload: dict, *, message_id: str) -> EmailMultiAlternatives:
    headers = dict(payload.get("headers") or {})
    # The same Message-ID on every attempt: if a retry follows a send whose success
    # we never heard of, mail systems see one message, not two.
    headers["Message-ID"] = f"<{message_id}@solidarity.outbox>"
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=headers,
    )
    message.content_subtype = payload.get("content_subtype") or "plain"
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in payload["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    return message
