"""Entry point of the Streamlit app: navigation between the pages under pages/."""

import streamlit as st

st.set_page_config(page_title="CMO interview coach", page_icon="🎯", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/library.py", title="Case library", icon="📚", default=True),
    ]
)
navigation.run()
