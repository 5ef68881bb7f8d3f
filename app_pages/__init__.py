"""The explorer's pages (Streamlit scripts run through ``st.navigation`` in app.py) and the
UI helpers they share. Nothing outside the app imports this package."""
