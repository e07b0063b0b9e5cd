"""Donations through Stripe and the fund ledger (built by the donations issue)."""
