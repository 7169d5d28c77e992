extensions = ["sphinx_newsnode"]
project = "Gate"
exclude_patterns = ["_build"]
