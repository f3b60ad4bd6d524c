"""The project's benchmark (``python -m bench``, see bench/run.py): demo stores of N hazards, the questions
timed through the project's functions and as raw DuckDB SQL, and every page in headless Chromium."""
