"""Page script run by st.navigation; the page itself is fiscal_app.ui.data."""

from fiscal_app.ui import data

data.render()
