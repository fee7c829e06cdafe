"""The site's routes: one blueprint per concern."""
