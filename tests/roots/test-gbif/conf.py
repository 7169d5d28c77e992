extensions = ["sphinx_newsnode"]
project = "GBIF figures"
exclude_patterns = ["_build"]
html_baseurl = "https://node.example.org/"
newsnode_reports = {2021: {"title": "Node report 2021", "author": "Example GBIF node"}}
newsnode_gbif = {"country": "ZA"}
latex_documents = []
