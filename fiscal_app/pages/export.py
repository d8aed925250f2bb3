"""Page script run by st.navigation; the page itself is fiscal_app.ui.export."""

from fiscal_app.ui import export

export.render()
