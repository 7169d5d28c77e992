extensions = ["sphinx_newsnode"]
project = "Site root"
exclude_patterns = ["_build"]
newsnode_site_root = ".."
html_baseurl = "https://node.example.org/"
