"""Page script run by st.navigation; the page itself is fiscal_app.ui.allocate."""

from fiscal_app.ui import allocate

allocate.render()
