extensions = ["sphinx_newsnode"]
project = "CTA"
exclude_patterns = ["_build"]
html_baseurl = "https://node.example.org/"
