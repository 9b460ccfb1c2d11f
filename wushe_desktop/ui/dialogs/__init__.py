"""One module per dialog; each offers a classmethod ``ask(...)`` that tests can stub."""
