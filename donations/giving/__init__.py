"""Taking gifts: the donate form, its checks against card testing, the checkout
at Stripe (or simulated in development) and the thank-you page.
"""
