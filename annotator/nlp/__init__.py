"""NLP helpers; spaCy is imported lazily, here only, so the GUI starts fast."""
