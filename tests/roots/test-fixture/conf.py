extensions = ["sphinx_newsnode"]
project = "fixture"
exclude_patterns = ["_build"]
newsnode_timezone = "Africa/Johannesburg"
html_baseurl = "https://node.example.org/"
