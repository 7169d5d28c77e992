extensions = ["sphinx_newsnode"]
project = "Report"
exclude_patterns = ["_build"]
html_baseurl = "https://node.example.org/"
newsnode_timezone = "Africa/Johannesburg"
newsnode_reports = {2021: {"title": "Node report 2021", "author": "Example GBIF node"}}
latex_documents = []
