extensions = ["sphinx_newsnode"]
project = "Gate"
exclude_patterns = ["_build"]
html_baseurl = "https://node.example.org/"
