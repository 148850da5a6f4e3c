"""Sources beyond a folder: an intranet site, a Slack export, a mailing-list archive.

Each source is turned into files in a folder of its own (`<data dir>/sources/<name>/`), a
page or a thread a file, with a `.meta.yaml` sidecar carrying its link back, authors and
tags; the folder is then ingested like any other with `sync`, so unchanged documents are
skipped, changed ones replaced and vanished ones pruned, within that source only. A fetch
that fails as a whole leaves the folder and the index as they were.
"""
