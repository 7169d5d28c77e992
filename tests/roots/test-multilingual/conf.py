# A node site in English, French, Dutch, Spanish and Brazilian Portuguese,
# shaped like the hosted portals: languages by front matter, by Jekyll's
# _config.yml defaults (as newsnode import writes them) and by folder.
extensions = ["sphinx_newsnode"]
project = "Polyglot node"
language = "en"
html_baseurl = "https://node.example.org/"
exclude_patterns = ["_build"]
newsnode_timezone = "Europe/Brussels"
newsnode_languages_by_path = {"_posts/espanol": "es"}
newsnode_reports = {2024: {"language": ["en", "fr"]}}
