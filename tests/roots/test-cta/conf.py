extensions = ["sphinx_newsnode"]
project = "CTA"
exclude_patterns = ["_build"]
