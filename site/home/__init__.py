"""Site-wide pages and pieces: the home page, navigation, footer and site settings."""
