extensions = ["sphinx_newsnode"]
project = "SANBI-GBIF news"
exclude_patterns = ["_build"]
