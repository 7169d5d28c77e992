extensions = ["sphinx_newsnode"]
project = "Bad input"
exclude_patterns = ["_build"]
html_baseurl = "https://node.example.org/"
