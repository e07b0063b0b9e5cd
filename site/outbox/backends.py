from django.core.mail.backends.base import BaseEmailBackend

from .services import outbox_enqueue


class OutboxEmailBackend(BaseEmailBackend):
    """Django's EMAIL_BACKEND for the whole project: `send_mail` and every library
    that sends mail (allauth, Wagtail) write to the outbox instead of the network.

    The row is saved in the caller's transaction, so a message exists if and only if
    the change that caused it was committed; the real backend
    (OUTBOX_DELIVERY_BACKEND) is used by the Celery task that sends it.
    """

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if message.recipients():
                outbox_enqueue(message=message)
                count += 1
        return count
