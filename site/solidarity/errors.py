"""Error reports that keep a reporter's secrets.

Django's SafeExceptionReporterFilter hides POST values and local variables of a
view marked sensitive, but still lists uploaded files by name; a file called
after the person it is about would be in every error email."""

from django.views.debug import ExceptionReporter


class DiscreetExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None and getattr(
            self.request, "sensitive_post_parameters", None
        ):
            data["request_FILES_items"] = []
        return data
