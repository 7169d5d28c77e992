"""Seed-shaped news posts for the benchmarks.

Each post is shaped like the SANBI-GBIF fixture: front matter with a title, a
hero image and its licence, a description and two buttons; a body with a
heading, an image and links. One post in ten is a draft.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

FIXTURE_IMAGES = Path(__file__).parents[1] / "tests/roots/test-fixture/assets/images"

POST = """\
---
published: {published}
title: {title}
date: {date}
background: /assets/images/FB_IMG_1640620986129.jpg
imageLicense: |
  *Anthopleura michaelseni* Photo by Fatima Parker-Allie [iNaturalist](https://www.inaturalist.org/observations/20856021) (CC BY-NC)
description: Post {n} of the node, about data mobilisation
tags: [{tag}]
cta:
  - text: Conference information
    href: https://www.idigbio.org/content/biodiversity-digitization-2021
    isPrimary: true
  - text: Contact the node
    href: mailto:info@example.org
---

The node took part in event {n} and showcased its experiences with data
mobilisation, with [partners](https://www.gbif.org/) from the region.

![Biodiversity Digitization](/assets/images/BiodiversityDigitization.jpg)

## What happened

Researchers and curators met to discuss digitisation, data quality and the
future of biodiversity data. The talks covered *mass digitisation*, linked
data and community engagement.

## Next steps

Further information can be found on [the event page](https://www.idigbio.org/).
"""


def write_posts(srcdir: Path, count: int, *, year: int | None = None, drafts: bool = True) -> None:
    """Write *count* posts (one in ten a draft) and their images under *srcdir*."""
    posts = srcdir / "news"
    posts.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE_IMAGES, srcdir / "assets" / "images", dirs_exist_ok=True)
    start = dt.date(year or 2015, 1, 1)
    span = 365 if year else 3650
    for n in range(count):
        date = start + dt.timedelta(days=(n * span) // max(count, 1))
        text = POST.format(
            published="false" if drafts and n % 10 == 9 else "true",
            title=f"Node news {n:05d}",
            date=date.isoformat(),
            n=n,
            tag=("training", "events", "data-use")[n % 3],
        )
        (posts / f"{date.isoformat()}-news-{n:05d}.md").write_text(text, encoding="utf-8")
