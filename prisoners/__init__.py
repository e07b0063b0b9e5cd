"""Political-prisoner profiles (the profiles issue builds this app)."""
