"""Spending: case budgets, allocations and payments with four eyes, payees
and invoices, and their admin screens.
"""
