"""Talking to Stripe: the client, signed webhooks, syncing our records with
Stripe's objects, the hourly repair and the nightly reconciliation.
"""
