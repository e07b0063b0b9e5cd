"""Email, reliably: every message is written to the database in the transaction that
caused it, then sent by a Celery task with retries. Nothing is lost or sent twice."""
