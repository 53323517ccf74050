"""`ofsted-search fetch`: Ofsted's published reports into the corpus, kept current.

    site.py     Ofsted's listing and provider pages as records (pure functions on HTML text)
    http.py     one polite HTTP client: a request at a time, a delay, retries with backoff
    fetcher.py  the run: what is new, downloads made safe (temp file, checks, rename), sidecars,
                the summary

Built from the structure of the public pages as issue 15 describes them and tested against a
local replica (tests/fetch/replica.py), never against the live site.
"""
