"""The Streamlit app over :mod:`fiscal` (``streamlit run app.py``); the library never imports it.

* ``app.py`` (beside this package): page set-up, language switch, navigation, and the only
  ``st.cache_data`` wrappers, installed as an :class:`~fiscal_app.engine.Engine`.
* :mod:`fiscal_app.pages` — the page scripts ``st.navigation`` runs (one line each);
  :mod:`fiscal_app.ui` — the pages themselves (Streamlit glue, one module per page).
* :mod:`fiscal_app.session` — session state: language, base and working scenario, uploads.
* :mod:`fiscal_app.widgets` — widgets bound to the working scenario, errors with repairs.
* No Streamlit below this line: :mod:`fiscal_app.engine` (runs as plain functions of TOML
  text), :mod:`fiscal_app.views` (tables and Altair charts), :mod:`fiscal_app.edits` (what can
  be edited, diffs, the shareable link, the reproduce recipe), :mod:`fiscal_app.i18n` (every
  label in English and Vietnamese), :mod:`fiscal_app.fmt` (number formats).
"""
