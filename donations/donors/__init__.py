"""Donors: receipts (per gift, and annual ones in annual/), the manage link,
self-service changes and erasure."""
