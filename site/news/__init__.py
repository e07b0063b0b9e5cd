"""News and analysis: the network's articles, statements, event reports and analyses,
one list per language, tagged to the people, campaigns and member organisations
they are about."""
