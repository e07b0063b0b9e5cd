"""Running functions on several database connections at the same moment."""

import threading

from django.db import connection


def at_once(functions):
    """Run each function in its own thread (and database connection), all released
    together; return their results and the exceptions they raised."""
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def run(function):
        try:
            barrier.wait(timeout=30)
            results.append(function())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors
