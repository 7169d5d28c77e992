extensions = ["sphinx_newsnode"]
project = "reST posts"
exclude_patterns = ["_build"]
