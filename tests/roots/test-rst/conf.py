extensions = ["sphinx_newsnode"]
project = "reST posts"
exclude_patterns = ["_build"]
html_baseurl = "https://node.example.org/"
