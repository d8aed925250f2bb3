"""Page script run by st.navigation; the page itself is fiscal_app.ui.why."""

from fiscal_app.ui import why

why.render()
