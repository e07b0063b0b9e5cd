"""The code that talks to Stripe is type-checked against stripe-python's typed
parameters (mypy, configured in pyproject.toml): a misspelt or mistyped parameter
fails here instead of as a 400 from Stripe in production."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_stripe_calling_code_type_checks():
    result = mypy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "donations/stripe/sync.py" in (ROOT / "pyproject.toml").read_text()


def test_a_misspelt_or_mistyped_stripe_parameter_is_an_error(tmp_path):
    """Proof that the check can fail: the same configuration on code that gets
    Stripe's parameters wrong (and, beside it, right)."""
    code = textwrap.dedent(
        """\
        from donations.stripe.client import client


        def correct() -> None:
            client().v1.checkout.sessions.create(
                params={
                    "mode": "payment",
                    "line_items": [
                        {"price_data": {"currency": "eur", "unit_amount": 1500}}
                    ],
                }
            )


        def misspelt() -> None:
            client().v1.checkout.sessions.create(params={"modee": "payment"})


        def mistyped() -> None:
            client().v1.checkout.sessions.create(
                params={
                    "mode": "payment",
                    "line_items": [
                        {"price_data": {"currency": "eur", "unit_amount": "15"}}
                    ],
                }
            )
        """
    )
    wrong = tmp_path / "stripe_calls.py"
    wrong.write_text(code)
    lines = code.splitlines()

    def span(function):  # 1-based line numbers of a function's body
        start = lines.index(f"def {function}() -> None:") + 1
        end = next(
            (i for i in range(start, len(lines)) if lines[i].startswith("def ")),
            len(lines),
        )
        return set(range(start + 1, end + 1))

    result = mypy(str(wrong))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    errors = [
        int(line.split(":")[1])
        for line in output.splitlines()
        # by name: mypy's cache may report an identical module under its old path
        if line.split(":")[0].endswith(wrong.name) and ": error:" in line
    ]
    assert len(errors) == 2, output
    assert not span("correct") & set(errors), output
    assert span("misspelt") & set(errors), output
    assert span("mistyped") & set(errors), output
