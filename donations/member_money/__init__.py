"""The money page a member organisation's staff see in the admin: for the cases
their member handles, the planned budgets and the money for work their member
carries out. Never a donor, and never another member's entries or payees."""
