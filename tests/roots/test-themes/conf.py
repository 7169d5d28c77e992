extensions = ["sphinx_newsnode"]
project = "Theme matrix"
exclude_patterns = ["_build"]
newsnode_timezone = "Africa/Johannesburg"
html_baseurl = "https://node.example.org/"
newsnode_drafts = "show"
newsnode_archive_page_size = 2
