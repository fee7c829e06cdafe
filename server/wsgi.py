"""WSGI entry point for production servers: ``gunicorn -c server/gunicorn.conf.py``.

Settings come from the environment (``ARCHIVEKG_*``) or the TOML file named by
``ARCHIVEKG_CONFIG``; see server/README.md.  Nothing is opened here: the data is opened
by each server process when it starts serving.
"""

from archivekg.web import create_app

app = create_app()
