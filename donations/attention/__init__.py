"""What needs the Board's attention, so that nothing sits unseen.

- `selectors.attention()`: the one read of everything that needs a person: a Stripe
  event still failing, a gift Stripe has as paid that the ledger has not, mail that
  failed for good, a reconciliation mismatch, a repair that could not finish, a
  reconciliation that has not run for 36 hours. The Board's dashboard and the
  admin home's panel (`hooks.py`) show it.
- `services.attention_digest_send()`: one email to the Board listing all of it,
  only when something new needs attention and at most once per period
  (`tasks.send_attention_digest`, hourly).
"""
