extensions = ["sphinx_newsnode"]
project = "fixture"
exclude_patterns = ["_build"]
