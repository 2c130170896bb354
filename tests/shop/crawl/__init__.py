"""The bad-input crawler behind tests/shop/test_bad_input_crawl.py: every URL pattern the resolver
knows (routes), filled with real and bogus path values (world), hit with malformed query strings
and fuzzed forms (inputs, forms), while checksums of the tables a role must never touch are
compared before and after (snapshot)."""
