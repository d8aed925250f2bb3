"""Page script run by st.navigation; the page itself is fiscal_app.ui.compare."""

from fiscal_app.ui import compare

compare.render()
