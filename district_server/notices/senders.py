"""How a notice leaves the district: one sender per channel. A sender raises
`NoticeNotSent` (or any error) to have the notice retried later with backoff; it gets the
notice key to pass on as an idempotency key, so a gateway that honours it never delivers a
notice twice even when the district crashed between sending and recording it."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import requests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    notice_key: str
    channel: str
    recipient: str
    subject: str
    body: str


class NoticeNotSent(Exception):
    """The channel refused or could not take the notice now: retried with backoff."""


class NoticeSender(Protocol):
    def send(self, notice: Outgoing) -> None: ...


class LogSender:
    """The default: the notice goes to the server log (for a district with no gateway yet)."""

    def send(self, notice: Outgoing) -> None:
        log.warning("notice", extra={"notice_key": notice.notice_key,
                                     "subject": notice.subject})


class WebhookSender:
    """POSTs the notice as JSON to the recipient URL (a chat or paging bridge)."""

    def __init__(self, timeout_s: float = 10.0) -> None:
        self._timeout_s = timeout_s

    def send(self, notice: Outgoing) -> None:
        try:
            answer = requests.post(notice.recipient, timeout=self._timeout_s,
                                   json={"key": notice.notice_key, "subject": notice.subject,
                                         "body": notice.body},
                                   headers={"Idempotency-Key": notice.notice_key})
        except requests.RequestException as error:
            raise NoticeNotSent(f"webhook unreachable: {error}") from error
        if not 200 <= answer.status_code < 300:
            raise NoticeNotSent(f"webhook answered {answer.status_code}")


class SmsGateway(Protocol):
    """What an SMS provider's client implements to carry notices."""

    def send_sms(self, number: str, text: str, *, idempotency_key: str) -> None: ...


class SmsSender:
    def __init__(self, gateway: SmsGateway | None) -> None:
        self._gateway = gateway

    def send(self, notice: Outgoing) -> None:
        if self._gateway is None:
            raise NoticeNotSent("no SMS gateway is configured")
        self._gateway.send_sms(notice.recipient, f"{notice.subject}: {notice.body}"[:300],
                               idempotency_key=notice.notice_key)


def default_senders(sms_gateway: SmsGateway | None = None) -> dict[str, NoticeSender]:
    return {"log": LogSender(), "webhook": WebhookSender(), "sms": SmsSender(sms_gateway)}
