"""CMO interview coach: scoring, retrieval and storage behind the Streamlit app."""

__version__ = "0.1.0"
