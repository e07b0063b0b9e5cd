"""The books: the double-entry fund ledger, its monthly roll-ups, money in
minor units, and the Board's read-only view of the records.
"""
