"""Page script run by st.navigation; the page itself is fiscal_app.ui.history."""

from fiscal_app.ui import history

history.render()
