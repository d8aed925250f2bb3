"""The Streamlit app over :mod:`fiscal` (``fiscal app``); the library never imports it.

* :mod:`fiscal_app.launch` — ``fiscal app``: runs Streamlit on the shell with the settings of
  ``fiscal_app/.streamlit/config.toml`` passed as flags (no Streamlit import).
* :mod:`fiscal_app.app` — the shell Streamlit runs: page set-up, language switch, navigation,
  and the only ``st.cache_data`` wrappers, installed as an :class:`~fiscal_app.engine.Engine`.
* ``fiscal_app/ui/`` — the pages, one file each, run by ``st.navigation`` (Streamlit glue).
* :mod:`fiscal_app.session` — session state: language, base and working scenario, uploads.
* :mod:`fiscal_app.widgets` — widgets bound to the working scenario (numbers typed the
  language's way), errors with repairs, the map section of the Map and Allocate pages.
* No Streamlit below this line: :mod:`fiscal_app.engine` (runs as plain functions of TOML
  text), :mod:`fiscal_app.views` (tables and Altair charts; the change charts in
  :mod:`fiscal_app.charts`), :mod:`fiscal_app.edits` (what can be edited, diffs, the
  shareable link, the reproduce recipe), :mod:`fiscal_app.i18n` (every label in English and
  Vietnamese: the app's own in ``i18n_en`` / ``i18n_vi``, fiscal's codes from
  :mod:`fiscal.prose`), :mod:`fiscal_app.fmt` (tables in the language's number format, through
  fiscal's one formatter), :mod:`fiscal_app.numbers` (typed numbers read with Babel),
  :mod:`fiscal_app.maps` (the boundaries joined to a result, the choropleth, its PNG).
"""
