"""Page script run by st.navigation; the page itself is fiscal_app.ui.tradeoffs."""

from fiscal_app.ui import tradeoffs

tradeoffs.render()
