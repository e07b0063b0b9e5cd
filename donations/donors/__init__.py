"""Donors: receipts, the manage link, self-service changes and erasure."""
