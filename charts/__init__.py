"""Figure builders: data in, Plotly figure out. No Streamlit, so tests can inspect the figures."""
