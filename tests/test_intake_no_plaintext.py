"""A report's words and files are nowhere in the clear: not in the database, the
logs, emails, error reports, Celery messages or temporary files."""

import io
import logging
import sys

import pytest
from celery.app.task import Task
from django.core import mail
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from PIL import Image

from intake import services, views
from outbox.models import OutboxMessage
from tests.intake_helpers import appoint, recovery_key

pytestmark = pytest.mark.django_db

MARKER = "Zoreslava-Kvitka-7731"
FILE_MARKER = b"Attachment-Secret-5512"


def big_pdf() -> bytes:
    # Above Django's FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): it would go to a
    # temporary file with Django's default upload handlers.
    return b"%PDF-1.4\n" + FILE_MARKER + b"\n" + b"0" * 3_000_000


def form(**extra):
    return {
        "person": MARKER,
        "relation": "self",
        "where": f"{MARKER} region",
        "what_happened": f"{MARKER} was detained.",
        "persecuted_by": ["interpol"],
        "help_needed": ["ccf"],
        "contact": f"{MARKER}@example.org",
        **extra,
    }


@pytest.fixture
def readers(django_user_model):
    recovery_key()
    return appoint(
        django_user_model.objects.create_user(username="t", email="t@example.org")
    )


def every_stored_value() -> bytes:
    """Every cell of every table, as bytes."""
    dump = io.BytesIO()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        dump.write(bytes(value))
                    else:
                        dump.write(str(value).encode())
    return dump.getvalue()


def test_nothing_stored_holds_the_plaintext(
    client, readers, settings, tmp_path, caplog
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    sent_to_celery = []
    original = Task.apply_async

    def recording(self, args=None, kwargs=None, **options):
        sent_to_celery.append(repr((self.name, args, kwargs)))
        return original(self, args, kwargs, **options)

    temporary_files = []

    class RecordedTemporaryFile(uploadhandler.TemporaryUploadedFile):
        def __init__(self, *args, **kwargs):
            temporary_files.append(args)
            super().__init__(*args, **kwargs)

    caplog.set_level(logging.DEBUG)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Task, "apply_async", recording)
        patch.setattr(uploadhandler, "TemporaryUploadedFile", RecordedTemporaryFile)
        response = client.post(
            "/uk/report/",
            form(files=[SimpleUploadedFile(f"{MARKER}.pdf", big_pdf())]),
        )
    assert response.status_code == 200, response.content.decode()[:2000]
    stored = every_stored_value()
    assert MARKER.encode() not in stored
    assert FILE_MARKER not in stored
    assert MARKER not in caplog.text
    assert not any(MARKER in m for m in sent_to_celery)
    assert list(tmp_path.iterdir()) == []
    assert temporary_files == []  # not even for the time of the request
    assert all(MARKER not in (m.subject + m.body) for m in mail.outbox)
    assert OutboxMessage.objects.count() == 0 or all(
        MARKER.encode() not in bytes(m.sealed) for m in OutboxMessage.objects.all()
    )


def test_an_error_report_during_a_submission_shows_none_of_it(readers, monkeypatch):
    """As the email to ADMINS would be, for an exception inside the view."""

    def breaks(**kwargs):
        raise RuntimeError("storage failed")

    monkeypatch.setattr(services, "submit_report", breaks)
    request = RequestFactory().post(
        "/uk/report/",
        form(files=[SimpleUploadedFile(f"{MARKER}.jpg", jpeg())]),
    )
    request.LANGUAGE_CODE = "uk"
    request._dont_enforce_csrf_checks = True
    from django.contrib.sessions.middleware import SessionMiddleware

    SessionMiddleware(lambda r: None).process_request(request)
    try:
        views.report_form(request)
    except RuntimeError:
        exc_info = sys.exc_info()
    else:
        pytest.fail("the view should have raised")
    from django.conf import settings
    from django.utils.module_loading import import_string

    reporter_class = import_string(settings.DEFAULT_EXCEPTION_REPORTER)
    reporter = reporter_class(request, *exc_info)
    assert isinstance(reporter, ExceptionReporter)
    assert isinstance(reporter.filter, SafeExceptionReporterFilter)
    for text in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert MARKER not in text
    assert "storage failed" in reporter.get_traceback_text()  # it is a real report


def test_no_address_or_browser_is_kept(client, readers):
    client.post(
        "/uk/report/",
        form(),
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Mozilla/5.0 (Reporter-UA-9931)",
    )
    stored = every_stored_value()
    assert b"203.0.113.77" not in stored
    assert b"Reporter-UA-9931" not in stored


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="JPEG")
    return out.getvalue()
