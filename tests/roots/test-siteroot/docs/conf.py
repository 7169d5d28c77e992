extensions = ["sphinx_newsnode"]
project = "Site root"
exclude_patterns = ["_build"]
newsnode_site_root = ".."
