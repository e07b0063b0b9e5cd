"""Campaigns and joint statements (the campaigns issue builds this app)."""
