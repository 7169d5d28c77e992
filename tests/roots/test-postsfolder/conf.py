# A Jekyll-layout site with what real node sites hold in _posts/ besides posts.
extensions = ["sphinx_newsnode"]
project = "Posts folder"
exclude_patterns = ["_build"]
html_baseurl = "https://node.example.org/"
