"""The app's pages, one file each: ``st.navigation`` in ``fiscal_app/app.py`` runs the file,
which renders itself (``render()``) when run as a page; imported, it only defines its parts.

Not called ``pages/``: Streamlit would take a ``pages/`` folder beside the main script for its
older automatic multipage mode.
"""
