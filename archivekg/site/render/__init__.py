"""What the site's pages show: queries for them and the models their templates render."""
