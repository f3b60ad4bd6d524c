"""Pure domain logic: grades, industries, regions, hazard lifecycle. No I/O, no Streamlit."""
