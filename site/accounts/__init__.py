"""Staff accounts: groups, the second factor the admin demands, and sign-in rules."""
