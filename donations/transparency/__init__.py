"""What the public may see of the money: the disclosure rule, the figures for
profiles, campaigns and the network page.
"""
