extensions = ["sphinx_newsnode"]
project = "Listing"
exclude_patterns = ["_build"]
html_baseurl = "https://news.example.org/"
newsnode_timezone = "Africa/Johannesburg"
