extensions = ["sphinx_newsnode"]
project = "Bad input"
exclude_patterns = ["_build"]
